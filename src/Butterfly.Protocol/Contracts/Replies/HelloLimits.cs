
namespace Butterfly.Protocol.Contracts;

/// <summary>The <c>limits</c> of a hello reply.</summary>
/// <param name="MaxFrameBytes">Largest frame payload.</param>
/// <param name="MaxMessageBytes">Largest message.</param>
/// <param name="MaxHeadBytes">Largest JSON head.</param>
/// <param name="MaxRecipients">Recipients per message.</param>
/// <param name="MaxInFlight">Requests in flight per connection.</param>
/// <param name="MaxHops">Hops before a message is refused as a loop.</param>
public sealed record HelloLimits(long MaxFrameBytes, long MaxMessageBytes, int MaxHeadBytes, int MaxRecipients, int MaxInFlight, int MaxHops);
