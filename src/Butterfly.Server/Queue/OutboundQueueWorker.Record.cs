using System.Globalization;
using Butterfly.Server.Delivery;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Queue;

/// <content>Recording an attempt: the entry's new state, and any bounce or delay notice, in one transaction through the pipeline.</content>
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
        DeliveryReport? report = null;
        if (permanent.Count > 0 && canNotify)
        {
            report = new DeliveryReport(ReportAction.Failed, entry.Sender, permanent, content, queued, entry.Hops);
        }
        else if (temporary.Count > 0 && canNotify && _schedule.ShouldNotifyDelay(queued, now, notified))
        {
            report = new DeliveryReport(ReportAction.Delayed, entry.Sender, temporary, content, queued, entry.Hops)
            {
                RetryUntil = queued + _schedule.GiveUpAfter,
            };
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
                    DeliveryPipeline.NewDeliveryId(),
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

        await _pipeline.RecordAttemptAsync(update, enqueue, report, CancellationToken.None);
    }

    private static string Describe(TimeSpan span) => span.TotalDays >= 1
        ? span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : span.TotalHours >= 1
            ? span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours"
            : span.TotalMinutes >= 1
                ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " minutes"
                : span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " seconds";
}
