namespace Butterfly.Server.Filters;

/// <summary>A verdict that breaks protocol/filter.md, "Verdicts"; caught inside <see cref="VerdictParser"/>.</summary>
internal sealed class VerdictException(string message) : Exception(message);
