namespace Butterfly.Storage;

/// <summary>A delivery received from a peer, remembered so that a repeat is answered without a second copy.</summary>
/// <param name="Peer">The peer domain.</param>
/// <param name="DeliveryId">The peer's delivery id.</param>
/// <param name="Result">The answer given (JSON), returned again for a repeat.</param>
public sealed record ReceivedRecord(string Peer, string DeliveryId, string Result);
