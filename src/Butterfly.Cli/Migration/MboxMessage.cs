namespace Butterfly.Cli.Migration;

/// <summary>One message read from an mbox file.</summary>
/// <param name="Data">The message bytes, unquoted, without the separator line and the blank line before the next; null when it was larger than the limit.</param>
/// <param name="Size">Its size in bytes (counted even when <paramref name="Data"/> is null).</param>
/// <param name="Received">The date of its <c>From </c> line, when it has one that parses.</param>
/// <param name="Start">The byte offset of its <c>From </c> line in the file.</param>
/// <param name="End">The byte offset just past it: where the next message's <c>From </c> line starts.</param>
internal sealed record MboxMessage(byte[]? Data, long Size, DateTimeOffset? Received, long Start, long End);
