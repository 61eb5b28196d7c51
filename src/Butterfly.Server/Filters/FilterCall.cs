namespace Butterfly.Server.Filters;

/// <summary>The result of asking one filter: a checked verdict, or why there is none.</summary>
/// <param name="Verdict">The verdict, or null on failure.</param>
/// <param name="Failure">What went wrong, for logs and the reason (e.g. "is not connected"), or null.</param>
internal sealed record FilterCall(FilterVerdict? Verdict, string? Failure);
