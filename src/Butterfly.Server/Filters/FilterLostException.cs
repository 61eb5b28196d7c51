namespace Butterfly.Server.Filters;

/// <summary>The filter's connection closed before it answered (it crashed or was stopped).</summary>
internal sealed class FilterLostException() : Exception("The filter's connection closed before it answered.");
