using Butterfly.Mime;

namespace Butterfly.Server.Delivery;

/// <summary>A message an authenticated peer hands over (protocol/peer.md, "Delivering").</summary>
/// <param name="PeerDomain">The domain the peer proved.</param>
/// <param name="DeliveryId">The peer's id for this delivery; a repeat is answered without a second copy.</param>
/// <param name="Sender">The envelope sender; its domain is <paramref name="PeerDomain"/> (checked by the caller).</param>
/// <param name="Recipients">The envelope recipients.</param>
/// <param name="Hops">Pipeline passes the message made before.</param>
/// <param name="Raw">The message.</param>
/// <param name="Parsed">The parsed message.</param>
/// <param name="Remote">The peer's network address, for the trace field.</param>
internal sealed record PeerDelivery(
    string PeerDomain,
    string DeliveryId,
    string Sender,
    IReadOnlyList<string> Recipients,
    int Hops,
    ReadOnlyMemory<byte> Raw,
    MimeMessage Parsed,
    string Remote);
