using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Events;
using Butterfly.Server.Federation;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary>The server-wide services a session and its commands use.</summary>
/// <param name="Options">The configuration.</param>
/// <param name="Store">The mail store.</param>
/// <param name="Delivery">The delivery pipeline.</param>
/// <param name="Logger">The protocol log.</param>
internal sealed record ServerServices(
    ButterflyOptions Options,
    IMailStore Store,
    DeliveryPipeline Delivery,
    ILogger Logger)
{
    /// <summary>Dialback for peer.auth and peer.verify (protocol/peer.md); null when federation is off.</summary>
    public Dialback? Dialback { get; init; }

    /// <summary>Push events to subscribed sessions (protocol/client.md, "Events").</summary>
    public required EventHub Events { get; init; }

    /// <summary>Programmable addresses: compiling, the run pool, the cache (null in tests that build no host).</summary>
    public Scripts.ScriptHost? Scripts { get; init; }

    /// <summary>The failed-login penalty, per source address and per account (the loginPenalty section).</summary>
    public LoginPenalties LoginPenalties { get; init; } = new(Options.LoginPenalty, TimeProvider.System);
}
