namespace Butterfly.Server.Sessions;

/// <summary>A frame waiting in a session's outbound queue.</summary>
/// <param name="Tag">The tag of the request it answers, or 0 for a frame sent on the server's own account.</param>
/// <param name="Reply">The reply.</param>
/// <param name="CountsInFlight">Whether writing it ends one in-flight request.</param>
internal readonly record struct OutboundFrame(ulong Tag, Reply Reply, bool CountsInFlight);
