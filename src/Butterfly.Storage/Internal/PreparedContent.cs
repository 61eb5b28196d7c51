using System.Globalization;
using System.Security.Cryptography;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Message content made ready for the writer on the caller's thread: hashed and summary encoded. The
/// bytes are not copied; the caller keeps them unchanged until the store's task completes.
/// </summary>
internal sealed class PreparedContent
{
    private PreparedContent(ReadOnlyMemory<byte> data, byte[] sha256, ContentSummary? summary)
    {
        Data = data;
        Sha256 = sha256;
        Summarized = summary is not null;
        Summary = summary;
        if (summary is not null)
        {
            From = summary.From;
            ToJson = StringListJson.Write(summary.To);
            CcJson = StringListJson.Write(summary.Cc);
            Subject = summary.Subject;
            Date = summary.Date?.ToString("O", CultureInfo.InvariantCulture);
            MessageId = summary.MessageId;
        }
    }

    public ReadOnlyMemory<byte> Data { get; }

    public byte[] Sha256 { get; }

    /// <summary>False for content stored for the queue only, whose header fields nobody lists.</summary>
    public bool Summarized { get; }

    /// <summary>The caller's summary, with the text to index and the thread fields when it extracted them.</summary>
    public ContentSummary? Summary { get; }

    public string? From { get; }

    public string? ToJson { get; }

    public string? CcJson { get; }

    public string? Subject { get; }

    public string? Date { get; }

    public string? MessageId { get; }

    /// <summary>Prepares content with its header fields, for message copies.</summary>
    public static PreparedContent Create(ReadOnlyMemory<byte> content, ContentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new PreparedContent(content, SHA256.HashData(content.Span), summary);
    }

    /// <summary>Prepares content without header fields, for queue entries.</summary>
    public static PreparedContent CreateUnsummarized(ReadOnlyMemory<byte> content)
        => new(content, SHA256.HashData(content.Span), null);
}
