namespace Butterfly.Server.Filters;

/// <summary>A new message a filter asks the server to deliver (an auto-reply, a list copy).</summary>
/// <param name="Sender">Its envelope sender.</param>
/// <param name="Recipients">Its envelope recipients.</param>
/// <param name="Raw">The whole RFC 5322 message.</param>
/// <param name="Filter">The filter that injected it, for logs and the trace field.</param>
internal sealed record InjectedMessage(string Sender, IReadOnlyList<string> Recipients, ReadOnlyMemory<byte> Raw, string Filter);
