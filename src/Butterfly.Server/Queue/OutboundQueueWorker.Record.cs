using System.Globalization;
using System.Security.Cryptography;
using Butterfly.Mime;
using Butterfly.Server.Delivery;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Queue;

/// <content>Recording an attempt: the entry's new state, and any bounce or delay notice, in one transaction.</content>
internal sealed partial class OutboundQueueWorker
{
    private async Task RecordAsync(QueuedMessage entry, byte[] content, AttemptOutcome outcome)
    {
        var now = _time.GetUtcNow();
        var meta = QueueMeta.Parse(entry.Meta);
        var queued = meta.Queued ?? entry.Created;
        var attempts = entry.Attempts + 1;
        var totalAttempts = meta.Attempts + attempts;
        var notified = entry.DelayNotified || meta.Notified;
        var permanent = outcome.Permanent.ToList();
        IReadOnlyList<FailedRecipient> temporary = outcome.Temporary;
        var lastError = temporary.Count > 0 ? temporary[0].Describe() : null;

        if (temporary.Count > 0 && _schedule.ShouldGiveUp(queued, now))
        {
            var waited = Describe(now - queued);
            _logger.LogWarning("Queue {Id} to {Domain}: giving up after {Attempts} attempt(s) over {Waited}: {Error}", entry.Id, entry.Domain, totalAttempts, waited, lastError);
            permanent.AddRange(temporary.Select(t => t with
            {
                Reason = $"{t.Reason} (gave up after {totalAttempts} attempt{(totalAttempts == 1 ? string.Empty : "s")} over {waited})",
            }));
            temporary = [];
        }

        // A bounce never goes out about a bounce (empty sender), and only to a local account.
        var canNotify = entry.SenderAccountId is not null && entry.Sender.Length > 0;
        byte[]? notice = null;
        if (permanent.Count > 0 && canNotify)
        {
            notice = BounceBuilder.Bounce(_options.EffectiveServerName, entry.Sender, permanent, content, now);
        }
        else if (temporary.Count > 0 && canNotify && _schedule.ShouldNotifyDelay(queued, now, notified))
        {
            notice = BounceBuilder.DelayNotice(_options.EffectiveServerName, entry.Sender, temporary, queued, queued + _schedule.GiveUpAfter, content, now);
            notified = true;
        }

        if (permanent.Count > 0)
        {
            _logger.LogInformation(
                "Queue {Id}: bouncing {Count} recipient(s) to {Sender}{Note}",
                entry.Id,
                permanent.Count,
                entry.Sender.Length == 0 ? "<>" : entry.Sender,
                canNotify ? string.Empty : " (no local sender: no bounce written)");
        }

        var remaining = temporary.Select(t => t.Recipient).ToArray();
        var next = _schedule.NextAttempt(totalAttempts, now);
        QueueUpdate update;
        IReadOnlyList<QueueEntry> enqueue = [];
        if (remaining.Length > 0 && outcome.Replied)
        {
            // The peer recorded its answer under this id, so asking again under it returns the same
            // answer: the recipients left over go under a new id, and the history rides in the meta.
            update = new QueueUpdate(entry.Id, null, next, attempts, lastError, notified);
            enqueue =
            [
                new QueueEntry(
                    QueueKind.Outbound,
                    NewDeliveryId(),
                    entry.Domain,
                    entry.Sender,
                    entry.SenderAccountId,
                    remaining,
                    entry.Hops,
                    next,
                    content,
                    new QueueMeta(queued, totalAttempts, notified).ToJson()),
            ];
        }
        else
        {
            update = new QueueUpdate(entry.Id, remaining, next, attempts, lastError, notified);
        }

        if (notice is null && enqueue.Count == 0)
        {
            await _store.Queue.UpdateAsync(update);
            return;
        }

        await CommitAsync(entry, notice, update, enqueue, now);
    }

    private async Task CommitAsync(QueuedMessage entry, byte[]? notice, QueueUpdate update, IReadOnlyList<QueueEntry> enqueue, DateTimeOffset now)
    {
        var commit = new DeliveryCommit(now) { QueueUpdate = update, Enqueue = enqueue };
        if (notice is not null)
        {
            _ = MimeMessage.TryParse(notice, out var parsed);
            var summary = parsed is null ? ContentSummary.Empty : MessageIntake.Summarize(parsed, now);
            var withNotice = commit with
            {
                Copies = [new ContentCopies(notice, summary, [new DeliveryTarget(entry.SenderAccountId!.Value, "Inbox", MessageFlags.None)])],
            };
            var stored = await _store.Deliveries.CommitAsync(withNotice);
            if (stored.Ok)
            {
                return;
            }

            // The sender's account is gone: the queue still moves on, without the notice.
            _logger.LogWarning("Queue {Id}: the notice to {Sender} could not be stored ({Error}); recording the attempt without it", entry.Id, entry.Sender, stored.Detail);
        }

        var recorded = await _store.Deliveries.CommitAsync(commit);
        if (!recorded.Ok)
        {
            // Only queue rows change here, so this cannot fail for a missing account or folder.
            _logger.LogError("Queue {Id}: the attempt could not be recorded: {Error}", entry.Id, recorded.Detail);
        }
    }

    private static string NewDeliveryId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Describe(TimeSpan span) => span.TotalDays >= 1
        ? span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : span.TotalHours >= 1
            ? span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours"
            : span.TotalMinutes >= 1
                ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " minutes"
                : span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " seconds";
}
