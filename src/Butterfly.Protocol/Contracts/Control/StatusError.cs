namespace Butterfly.Protocol.Contracts;

/// <summary>An error log line in a <see cref="StatusReply"/>.</summary>
/// <param name="Time">When (UTC, ISO 8601).</param>
/// <param name="Category">The logger's category.</param>
/// <param name="Message">The line, without the exception's stack.</param>
public sealed record StatusError(string Time, string Category, string Message);
