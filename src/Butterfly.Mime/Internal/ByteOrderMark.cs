namespace Butterfly.Mime.Internal;

/// <summary>
/// The UTF-8 byte-order mark that some editors and Windows tools write at the start of a file:
/// it is not part of the first header field name nor of the first mbox "From " line.
/// </summary>
internal static class ByteOrderMark
{
    /// <summary>The length of a UTF-8 byte-order mark at the start of <paramref name="data"/> (3), or 0.</summary>
    public static int Length(ReadOnlySpan<byte> data) => data.StartsWith("\uFEFF"u8) ? 3 : 0;
}
