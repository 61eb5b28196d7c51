using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Sessions;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server;

/// <summary>The server-wide services a session and its commands use.</summary>
/// <param name="Options">The configuration.</param>
/// <param name="Store">The mail store.</param>
/// <param name="Delivery">The delivery pipeline.</param>
/// <param name="Sessions">The open sessions.</param>
/// <param name="Logger">The protocol log.</param>
internal sealed record ServerServices(
    ButterflyOptions Options,
    MailStore Store,
    DeliveryPipeline Delivery,
    SessionRegistry Sessions,
    ILogger Logger)
{
    /// <summary>Dialback for peer.auth and peer.verify (protocol/peer.md); null when federation is off.</summary>
    public Federation.Dialback? Dialback { get; init; }
}
