using Butterfly.Protocol.Errors;
using Butterfly.Server.Filters;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Held and injected mail: the second pass through the pipeline.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Delivers a message a server or filter writes (a notice, an auto-reply): it is queued durably
    /// and delivered by the held-mail worker through the whole pipeline.
    /// </summary>
    /// <param name="message">The message and its envelope.</param>
    /// <param name="hops">Its hop count.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<DeliveryOutcome> InjectAsync(InjectedMessage message, int hops, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var plan = new Plan(DateTimeOffset.UtcNow);
        PlanInjection(plan, message, hops);
        if (plan.Enqueue.Count == 0)
        {
            return DeliveryOutcome.Refused(ErrorCode.MessageInvalid, "The message cannot be parsed.");
        }

        await CommitAsync(plan, null, null, ct);
        return new DeliveryOutcome(ErrorCode.None, null, null, 0, message.Recipients.Select(r => (r, RecipientStatus.Queued)).ToArray());
    }

    /// <summary>
    /// Takes a held or injected entry through routing, filters and claims again. In one transaction the
    /// entry is removed (or keeps only what is still held, rescheduled) and the copies, further holds,
    /// outbound entries and injections are committed: a retry never loses or doubles mail.
    /// </summary>
    public async Task ProcessHeldAsync(QueuedMessage entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var content = await _store.ReadQueuedContentAsync(entry.Id, ct);
        if (content is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        if (Intake.Check(content, out var parsed, out var problem) != ErrorCode.None)
        {
            _logger.LogError("Held message {Id} cannot be parsed any more and is dropped: {Problem}", entry.Id, problem);
            await _store.RemoveQueuedAsync(entry.Id, ct);
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
            await _store.RemoveQueuedAsync(entry.Id, ct);
            return;
        }

        var (origin, account, peer) = HeldMeta.Read(entry.Meta);
        var (_, _, route) = await RouteAsync(entry.Recipients, MessageOrigin.Filter, entry.Sender, ct);
        foreach (var failed in route.Failed)
        {
            _logger.LogWarning("Queued message {Id}: {Recipient} refused: {Reason}", entry.Id, failed.Recipient, failed.Message);
        }

        var plan = new Plan(now);
        var envelope = new Envelope(entry.Sender, route.Addresses, origin, account, peer, hops);
        var summary = MessageIntake.Summarize(parsed!, now);
        await PlanLocalAsync(plan, envelope, content, summary, route, entry.SenderAccountId, refuseWhole: false, ct);
        PlanRemote(plan, envelope, content, route, entry.SenderAccountId);
        foreach (var rejected in plan.Results.Where(r => r.Status == RecipientStatus.Rejected))
        {
            _logger.LogWarning("Held message {Id} to {Recipient} rejected by a filter: {Code} {Reason}", entry.Id, rejected.Recipient, rejected.Code, rejected.Message);
        }

        // Whatever is still held stays in this entry, so a retry never duplicates the entry.
        var stillHeld = plan.Holds.SelectMany(h => h.Recipients).Distinct(StringComparer.Ordinal).ToArray();
        var reason = plan.Holds.Count > 0 ? "a filter could not decide" : null;
        plan.Holds.Clear();
        var update = new QueueUpdate(entry.Id, stillHeld, now.AddSeconds(_options.Queue.HeldRetrySeconds), entry.Attempts + 1, reason, entry.DelayNotified);
        await CommitAsync(plan, null, update, ct);
        _logger.LogDebug("Queued message {Id}: {Delivered} delivered, {Held} still held", entry.Id, plan.Results.Count - stillHeld.Length, stillHeld.Length);
    }
}
