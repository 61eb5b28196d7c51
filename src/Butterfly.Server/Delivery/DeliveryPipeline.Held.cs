using Butterfly.Protocol.Errors;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
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

        var committed = await CommitAsync(plan, null, null, ct);
        if (!committed.Ok)
        {
            return DeliveryOutcome.Refused(ErrorCode.ServerInternal, $"The message could not be queued ({committed.Detail}).");
        }

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
        var content = await _store.Queue.ReadContentAsync(entry.Id, ct);
        if (content is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        if (Intake.Check(content, out var parsed, out var problem) != ErrorCode.None)
        {
            _logger.LogError("Held message {Id} cannot be parsed any more and is dropped: {Problem}", entry.Id, problem);
            await _store.Queue.RemoveAsync(entry.Id, ct);
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
        var rejected = plan.Results.Where(r => r.Status == RecipientStatus.Rejected).ToArray();
        foreach (var failure in rejected)
        {
            _logger.LogWarning("Held message {Id} to {Recipient} rejected by a filter: {Code} {Reason}", entry.Id, failure.Recipient, failure.Code, failure.Message);
        }

        if (rejected.Length > 0)
        {
            // The sender was told "held" (or the peer "delivered"): the refusal reaches them as a bounce.
            await PlanBounceAsync(plan, entry.Sender, rejected, content, hops, ct);
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
            _logger.LogWarning("Queued message {Id} could not be stored ({Problem}); it stays queued", entry.Id, committed.Detail);
            await _store.Queue.UpdateAsync(new QueueUpdate(entry.Id, entry.Recipients, next, entry.Attempts + 1, committed.Detail, entry.DelayNotified), ct);
            return;
        }

        _logger.LogDebug("Queued message {Id}: {Delivered} delivered, {Held} still held", entry.Id, plan.Results.Count - stillHeld.Length, stillHeld.Length);
    }

    /// <summary>
    /// Plans a bounce naming <paramref name="failed"/> to <paramref name="sender"/>: into the Inbox of a
    /// local sender, or queued to a remote sender's domain from our mailer-daemon. Never about a bounce.
    /// </summary>
    private async Task PlanBounceAsync(Plan plan, string sender, IReadOnlyList<RecipientResult> failed, ReadOnlyMemory<byte> original, int hops, CancellationToken ct)
    {
        if (!Addresses.TryNormalize(sender, out var address, out var domain)
            || address.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var bounce = BounceBuilder.Bounce(
            _options.EffectiveServerName,
            address,
            failed.Select(f => new FailedRecipient(f.Recipient, f.Code, f.Message ?? "refused")).ToArray(),
            original,
            plan.Now);
        if (!_options.IsLocalDomain(domain))
        {
            plan.Enqueue.Add(new QueueEntry(
                QueueKind.Outbound, NewDeliveryId(), domain.ToLowerInvariant(), $"mailer-daemon@{_options.Domains[0]}", null, [address], hops + 1, plan.Now, bounce));
            return;
        }

        var account = await _store.Accounts.FindAsync(address, ct);
        if (account is not null && Intake.Check(bounce, out var parsed, out _) == ErrorCode.None)
        {
            plan.AddCopies(bounce, MessageIntake.Summarize(parsed!, plan.Now), [new DeliveryTarget(account.Id, "Inbox", MessageFlags.None)]);
        }
    }
}
