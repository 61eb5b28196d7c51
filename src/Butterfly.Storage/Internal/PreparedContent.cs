using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Message content made ready for the writer on the caller's thread: hashed, summary encoded, bytes as
/// an array the SQLite binder can take without another copy.
/// </summary>
internal sealed class PreparedContent
{
    private PreparedContent(byte[] data, byte[] sha256, ContentSummary summary)
    {
        Data = data;
        Sha256 = sha256;
        From = summary.From;
        ToJson = StringListJson.Write(summary.To);
        CcJson = StringListJson.Write(summary.Cc);
        Subject = summary.Subject;
        Date = summary.Date?.ToString("O", CultureInfo.InvariantCulture);
        MessageId = summary.MessageId;
    }

    public byte[] Data { get; }

    public byte[] Sha256 { get; }

    public string? From { get; }

    public string? ToJson { get; }

    public string? CcJson { get; }

    public string? Subject { get; }

    public string? Date { get; }

    public string? MessageId { get; }

    public static PreparedContent Create(ReadOnlyMemory<byte> content, ContentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);

        // The binder only takes whole arrays: reuse the caller's array when the memory spans all of it.
        var data = MemoryMarshal.TryGetArray(content, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : content.ToArray();
        return new PreparedContent(data, SHA256.HashData(data), summary);
    }
}
