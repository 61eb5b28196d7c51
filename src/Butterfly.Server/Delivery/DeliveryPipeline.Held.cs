using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Telemetry;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Held and injected mail, and the server's notices: the second pass through the pipeline.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Takes a held or injected entry through routing, filters and claims again. In one transaction the
    /// entry is removed (or keeps only what is still held, rescheduled) and the copies, further holds,
    /// outbound entries and injections are committed: a retry never loses or doubles mail.
    /// </summary>
    public async Task ProcessHeldAsync(QueuedMessage entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var content = await _store.Queue.ReadContentAsync(entry.Id, ct);
        if (content is null)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        if (Intake.Check(content, out var parsed, out var problem) != ErrorCode.None)
        {
            _logger.LogError("Held message {Id} ({DeliveryId}) cannot be parsed any more and is dropped: {Problem}", entry.Id, entry.DeliveryId, problem);
            await _store.Queue.RemoveAsync(entry.Id, ct);
            DeliveryLog.Record(_delivered, SourceOf(HeldMeta.Read(entry.Meta).Origin, entry.Meta), entry.DeliveryId, entry.Sender, entry.Recipients.Count, DeliveryOutcomes.Rejected, content.Length, started);
            return;
        }

        var hops = Hops(parsed!, entry.Hops);
        if (hops > _options.Limits.MaxHops)
        {
            // filter.md, "Hop limit": an injection that comes back to itself stops here.
            _logger.LogWarning(
                "Dropped queued message {Id} from {Sender} to {Recipients}: {Hops} hops, over the limit of {Max} (a loop)",
                entry.Id,
                entry.Sender,
                string.Join(", ", entry.Recipients),
                hops,
                _options.Limits.MaxHops);
            await _store.Queue.RemoveAsync(entry.Id, ct);
            DeliveryLog.Record(_delivered, SourceOf(HeldMeta.Read(entry.Meta).Origin, entry.Meta), entry.DeliveryId, entry.Sender, entry.Recipients.Count, DeliveryOutcomes.Rejected, content.Length, started);
            return;
        }

        var (origin, account, peer) = HeldMeta.Read(entry.Meta);

        // A notice goes to the sender of what it reports on, wherever that is; anything else held
        // or injected is routed as a filter's message.
        var (_, _, route) = await RouteAsync(entry.Recipients, origin == MessageOrigin.Notice ? origin : MessageOrigin.Filter, entry.Sender, content.Length, ct);
        foreach (var failed in route.Failed)
        {
            _logger.LogWarning("Queued message {Id} ({DeliveryId}): {Recipient} refused: {Reason}", entry.Id, entry.DeliveryId, failed.Recipient, failed.Message);
        }

        var plan = new Plan(now);
        var envelope = new Envelope(entry.Sender, route.Addresses, origin, account, peer, hops);
        var summary = MessageIntake.Summarize(parsed!, now);
        await PlanLocalAsync(plan, envelope, content, summary, route, entry.SenderAccountId, refuseWhole: false, ct);
        PlanRemote(plan, envelope, content, route, entry.SenderAccountId);
        var rejected = plan.Results.Where(r => r.Status == RecipientStatus.Rejected).ToArray();
        foreach (var failure in rejected)
        {
            _logger.LogWarning("Held message {Id} ({DeliveryId}) to {Recipient} rejected by a filter: {Code} {Reason}", entry.Id, entry.DeliveryId, failure.Recipient, failure.Code, failure.Message);
        }

        if (rejected.Length > 0)
        {
            // The sender was told "held" (or the peer "delivered"): the refusal reaches them as a
            // bounce, queued in the same transaction. A notice itself (null sender) is never bounced.
            PlanNotice(plan, new DeliveryReport(
                ReportAction.Failed,
                entry.Sender,
                [.. rejected.Select(r => new FailedRecipient(r.Recipient, r.Code, r.Message ?? "refused"))],
                content,
                entry.Created,
                hops));
        }

        // Whatever is still held stays in this entry, so a retry never duplicates the entry.
        var stillHeld = plan.Holds.SelectMany(h => h.Recipients).Distinct(StringComparer.Ordinal).ToArray();
        var reason = plan.Holds.Count > 0 ? "a filter could not decide" : null;
        plan.Holds.Clear();
        var next = now.AddSeconds(_options.Queue.HeldRetrySeconds);
        var update = new QueueUpdate(entry.Id, stillHeld, next, entry.Attempts + 1, reason, entry.DelayNotified);
        var committed = await CommitAsync(plan, null, update, ct);
        if (!committed.Ok)
        {
            // Nothing of this pass was kept: the entry waits its turn and goes round again.
            _logger.LogWarning("Queued message {Id} ({DeliveryId}) could not be stored ({Problem}); it stays queued", entry.Id, entry.DeliveryId, committed.Detail);
            await _store.Queue.UpdateAsync(new QueueUpdate(entry.Id, entry.Recipients, next, entry.Attempts + 1, committed.Detail, entry.DelayNotified), ct);
            DeliveryLog.Record(_delivered, SourceOf(origin, entry.Meta), entry.DeliveryId, entry.Sender, entry.Recipients.Count, DeliveryOutcomes.Failed, content.Length, started);
            return;
        }

        _logger.LogDebug("Queued message {Id}: {Delivered} delivered, {Held} still held", entry.Id, plan.Results.Count - stillHeld.Length, stillHeld.Length);
        var source = SourceOf(origin, entry.Meta);
        DeliveryLog.Record(_delivered, source, entry.DeliveryId, entry.Sender, entry.Recipients.Count, RecordRecipients(source, plan.Results), content.Length, started);
    }
}
