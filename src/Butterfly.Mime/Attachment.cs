namespace Butterfly.Mime;

/// <summary>A file to attach to a message composed by <see cref="MessageBuilder"/>.</summary>
public sealed class Attachment
{
    /// <summary>Creates an attachment.</summary>
    /// <param name="fileName">The file name shown to the recipient (any Unicode; encoded per RFC 2231).</param>
    /// <param name="mediaType">The media type, e.g. "application/pdf"; an invalid value becomes application/octet-stream.</param>
    /// <param name="content">The file's bytes.</param>
    public Attachment(string fileName, string mediaType, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(mediaType);
        FileName = fileName;
        MediaType = mediaType;
        Content = content;
    }

    /// <summary>The file name.</summary>
    public string FileName { get; }

    /// <summary>The media type.</summary>
    public string MediaType { get; }

    /// <summary>The content.</summary>
    public ReadOnlyMemory<byte> Content { get; }
}
