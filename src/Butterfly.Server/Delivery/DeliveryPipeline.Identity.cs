using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Sender identity: a client sends only as addresses it owns, a peer only as its own domain.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// protocol/client.md, "Sender identity": every From, Sender and Return-Path address of a local
    /// client's message must be one its account may send as (<see cref="ISenderOwnership"/>).
    /// </summary>
    private async Task<(ErrorCode Error, string? Problem)> CheckLocalSenderAsync(Submission submission, CancellationToken ct)
    {
        if (!SenderIdentity.TryRead(submission.Parsed, out var addresses, out var problem))
        {
            return (ErrorCode.MessageFromNotOwned, problem);
        }

        foreach (var (field, address) in addresses)
        {
            if (!await _ownership.MaySendAsAsync(submission.SenderId, submission.Sender, address, ct))
            {
                _logger.LogWarning("Send from {Account} refused: its {Field} field names {Address}", submission.Sender, field, address);
                return (ErrorCode.MessageFromNotOwned, $"The {field} field names {address}; {submission.Sender} may only send as addresses it owns.");
            }
        }

        return (ErrorCode.None, null);
    }

    /// <summary>
    /// protocol/peer.md, "Sender check": the From domain must align with the domain the peer proved
    /// (DMARC relaxed alignment, <see cref="DomainAlignment"/>); that holds for bounces (the null
    /// envelope sender) too, so a peer cannot write a bounce in another domain's name.
    /// </summary>
    /// <returns>Why the message is refused, or null when it is not.</returns>
    private string? PeerFromProblem(PeerDelivery delivery)
    {
        if (!SenderIdentity.TryRead(delivery.Parsed, out var addresses, out var problem))
        {
            return problem;
        }

        var from = addresses.Where(a => a.Field == "From").Select(a => a.Address).ToArray();
        if (from.Length == 0)
        {
            return delivery.Sender.Length == 0
                ? $"The bounce has no From field; a bounce from {delivery.PeerDomain} must come from {delivery.PeerDomain}."
                : "The message has no From field.";
        }

        foreach (var address in from)
        {
            var domain = address[(address.LastIndexOf('@') + 1)..];
            if (!_alignment.Aligned(domain, delivery.PeerDomain))
            {
                return delivery.Sender.Length == 0
                    ? $"The bounce is From {address}; a bounce from {delivery.PeerDomain} must come from {delivery.PeerDomain}."
                    : $"The From address {address} is not in {delivery.PeerDomain}, the domain this connection proved.";
            }
        }

        return null;
    }

    /// <summary>
    /// Refuses every recipient of a peer's delivery for <paramref name="problem"/>, recorded under its
    /// delivery id like any other answer, so a repeat gets the same one.
    /// </summary>
    private async Task<PeerDeliveryOutcome> RefusePeerSenderAsync(PeerDelivery delivery, string problem, CancellationToken ct)
    {
        _logger.LogWarning("peer.deliver {DeliveryId} from {Peer} refused: {Problem}", delivery.DeliveryId, delivery.PeerDomain, problem);
        var plan = new Plan(DateTimeOffset.UtcNow);
        var code = ErrorCode.PeerFromNotAligned.ToWire();
        plan.Results.AddRange(delivery.Recipients.Distinct(StringComparer.Ordinal).Select(r => new RecipientResult(r, RecipientStatus.Rejected, code, problem)));
        var results = plan.Results.ToArray();
        var committed = await CommitAsync(plan, new ReceivedRecord(delivery.PeerDomain, delivery.DeliveryId, PeerResultsJson.Write(results)), null, ct);
        if (committed.Ok && committed.Value!.ExistingResult is { } existing)
        {
            return new PeerDeliveryOutcome(PeerResultsJson.Read(existing), Duplicate: true);
        }

        return new PeerDeliveryOutcome(results, Duplicate: false);
    }
}
