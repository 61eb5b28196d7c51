namespace Butterfly.Client;

/// <summary>The limits the server announced in its hello reply; 0 where it did not say.</summary>
/// <param name="MaxFrameBytes">The largest frame it accepts.</param>
/// <param name="MaxMessageBytes">The largest message it accepts.</param>
/// <param name="MaxRecipients">The most recipients per message.</param>
/// <param name="MaxInFlight">The most requests in flight per connection.</param>
public sealed record ServerLimits(long MaxFrameBytes, long MaxMessageBytes, int MaxRecipients, int MaxInFlight);
