using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>
/// The outbound queue's transport: each delivery goes to a Butterfly server (<see cref="PeerTransport"/>) or over
/// SMTP (<see cref="SmtpTransport"/>), as <see cref="OutboundRouter"/> decides, so both share the one durable queue,
/// its retry schedule, delay notices and bounces.
/// </summary>
internal sealed class OutboundTransport : IPeerTransport
{
    private readonly OutboundRouter _router;
    private readonly IPeerTransport _peers;
    private readonly SmtpTransport _smtp;

    public OutboundTransport(OutboundRouter router, IPeerTransport peers, SmtpTransport smtp)
    {
        _router = router;
        _peers = peers;
        _smtp = smtp;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(
        string domain,
        string deliveryId,
        string sender,
        IReadOnlyList<string> recipients,
        int hops,
        ReadOnlyMemory<byte> message,
        CancellationToken ct)
    {
        var decision = await _router.DecideAsync(domain, ct);
        return decision.Via switch
        {
            RemoteVia.Butterfly => await _peers.DeliverAsync(domain, deliveryId, sender, recipients, hops, message, ct),
            RemoteVia.Smtp => await _smtp.DeliverAsync(domain, decision.Destinations, sender, recipients, message, ct),
            _ => throw new PeerException(true, "recipient.domain-unreachable", decision.Problem ?? $"{domain} takes no mail."),
        };
    }
}
