namespace Butterfly.Mime;

/// <summary>An attachment found in a parsed message.</summary>
public sealed class AttachmentInfo
{
    internal AttachmentInfo(MimeEntity entity)
    {
        Entity = entity;
        FileName = entity.FileName;
        MediaType = entity.ContentType.MimeType;
        Size = entity.GetContentLength();
    }

    /// <summary>The file name, or null when the part names none.</summary>
    public string? FileName { get; }

    /// <summary>The media type, e.g. "application/pdf".</summary>
    public string MediaType { get; }

    /// <summary>The decoded size in bytes.</summary>
    public long Size { get; }

    /// <summary>The part, for its offsets and content.</summary>
    public MimeEntity Entity { get; }
}
