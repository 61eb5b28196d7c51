using System.Text;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Delivery status notices: bounces and delay notices go the one delivery path too.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Records an attempt on an outbound queue entry: its new state, the entries that take over its
    /// recipients, and the notice to its sender, in one transaction (exactly once: a crash leaves
    /// either the entry as it was, or the entry moved on and the notice queued). The notice is
    /// delivered afterwards through the whole pipeline by the held-mail worker.
    /// </summary>
    /// <param name="update">The entry's new state.</param>
    /// <param name="enqueue">Entries to add (recipients retried under a new delivery id).</param>
    /// <param name="report">The bounce or delay notice to write, or null.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task RecordAttemptAsync(QueueUpdate update, IReadOnlyList<QueueEntry> enqueue, DeliveryReport? report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(enqueue);
        if (report is null && enqueue.Count == 0)
        {
            await _store.Queue.UpdateAsync(update, ct);
            return;
        }

        var plan = new Plan(DateTimeOffset.UtcNow);
        plan.Enqueue.AddRange(enqueue);
        if (report is not null)
        {
            PlanNotice(plan, report);
        }

        var committed = await CommitAsync(plan, null, update, ct);
        if (!committed.Ok)
        {
            // Only queue rows change here, so no missing account or folder can refuse it.
            _logger.LogError("Queue {Id}: the attempt could not be recorded: {Problem}", update.Id, committed.Detail);
        }
    }

    /// <summary>
    /// Plans a notice to <see cref="DeliveryReport.Sender"/>: composed now, queued as inbound mail
    /// with the null sender and one hop more, so the held-mail worker takes it through routing,
    /// the recipient's filters and the commit like any message (a remote sender's goes out through
    /// the outbound queue). Nothing is written for the null sender or a mailer-daemon: a notice
    /// never answers a notice.
    /// </summary>
    private void PlanNotice(Plan plan, DeliveryReport report)
    {
        if (!Addresses.TryNormalize(report.Sender, out var address, out _)
            || address.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        byte[] notice;
        try
        {
            notice = BounceBuilder.Compose(_options.EffectiveServerName, report with { Sender = address }, plan.Now);
        }
        catch (MimeKit.ParseException ex)
        {
            _logger.LogWarning("No notice to {Sender}: MimeKit does not take the address ({Problem})", address, ex.Message);
            return;
        }

        var trace = Encoding.UTF8.GetBytes(TraceField("mailer-daemon (delivery status notice)", address, plan.Now, "\r\n"));
        var hops = report.Hops + 1;
        var envelope = new Envelope(string.Empty, [address], MessageOrigin.Notice, null, null, hops);
        plan.Enqueue.Add(new QueueEntry(
            QueueKind.Inbound, NewDeliveryId(), null, string.Empty, null, [address], hops, plan.Now, (byte[])[.. trace, .. notice],
            HeldMeta.Write(envelope, null)));
        _logger.LogInformation(
            "{Kind} to {Sender} about {Count} recipient(s) queued for delivery",
            report.Action == ReportAction.Failed ? "Bounce" : "Delay notice",
            address,
            report.Recipients.Count);
    }
}
