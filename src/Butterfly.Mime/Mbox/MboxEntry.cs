namespace Butterfly.Mime.Mbox;

/// <summary>One message of an mbox: its "From " separator line and its bytes, mboxrd quoting removed.</summary>
/// <param name="FromLine">The separator line without "From " and the line break, e.g. "alice@example.org Mon Jan  1 08:01:00 2024".</param>
/// <param name="Message">The message bytes.</param>
/// <param name="Offset">The offset of the separator line in the mbox.</param>
public readonly record struct MboxEntry(string FromLine, ReadOnlyMemory<byte> Message, long Offset);
