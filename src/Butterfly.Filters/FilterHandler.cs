namespace Butterfly.Filters;

/// <summary>Decides what becomes of one message. Called concurrently for requests in flight.</summary>
/// <param name="message">The message and its envelope.</param>
/// <param name="context">Queries back to the server on the connection the request came on.</param>
/// <param name="ct">Fires when the filter is stopping.</param>
/// <returns>The verdict. An exception is answered as a failure, so the filter's failure policy applies.</returns>
public delegate ValueTask<Verdict> FilterHandler(FilterMessage message, FilterContext context, CancellationToken ct);
