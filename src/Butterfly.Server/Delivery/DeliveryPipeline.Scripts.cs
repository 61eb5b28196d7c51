using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Programmable addresses: mail for a script waits in the queue; a run's effects go the one delivery path.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Queues the message for each address with a script (kind <see cref="QueueKind.Script"/>), in the
    /// delivery's transaction, with the run's time and random seed chosen now. The script worker runs
    /// it; the recipient counts as delivered, as for a list.
    /// </summary>
    private void PlanScripts(Plan plan, Envelope envelope, ReadOnlyMemory<byte> content, Route route, long? senderAccountId)
    {
        foreach (var address in route.Scripts)
        {
            var meta = ScriptEntryMeta.New(envelope.Origin, plan.Now);
            plan.Enqueue.Add(new QueueEntry(
                QueueKind.Script, NewDeliveryId(), null, envelope.Sender, senderAccountId, [address], envelope.Hops, plan.Now, content, meta.Write()));
            plan.Results.Add(new RecipientResult(address, RecipientStatus.Delivered, null, null));
        }
    }

    /// <summary>
    /// Commits a script run in one transaction: the messages it sent and the forwards (queued as inbound
    /// mail one hop further, so filters, the hop limit and remote recipients through the outbound queue
    /// all apply), the copies in the owner's folders, the bounce of a reject, and the run's record (its
    /// log row, new state, the incoming entry consumed, the schedule moved on). Nothing of it is kept
    /// when any part fails.
    /// </summary>
    /// <param name="output">The run's effects.</param>
    /// <param name="incoming">The entry the run consumed and its bytes, or null for a scheduled run.</param>
    /// <param name="record">The run's record.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<StoreResult<CommitResult>> CommitScriptRunAsync(
        ScriptOutput output, (QueuedMessage Entry, byte[] Content)? incoming, ScriptRunRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        var plan = new Plan(DateTimeOffset.UtcNow);
        var hops = (incoming?.Entry.Hops ?? 0) + 1;
        foreach (var (recipients, raw) in output.Sends)
        {
            if (Intake.Check(raw, out var parsed, out var problem) != ErrorCode.None)
            {
                return StoreResult<CommitResult>.Fail(StoreError.ScriptConflict, $"{output.Address}: the script wrote a message the server does not take: {problem}");
            }

            var messageId = parsed!.MessageId ?? NewMessageId();
            var trace = TraceField($"script {output.Address}", recipients.Count == 1 ? recipients[0] : null, plan.Now, RawHeaders.LineEnding(raw));
            var traced = WithTrace(raw, parsed, trace, plan.Now, messageId, dropBcc: true);
            Enqueue(plan, output, recipients, traced, hops);
        }

        if (incoming is { } taken)
        {
            var (entry, content) = taken;
            foreach (var recipients in output.Forwards)
            {
                Enqueue(plan, output, recipients, content, hops);
            }

            if (output.Folders.Count > 0 && Intake.Check(content, out var parsed, out _) == ErrorCode.None)
            {
                var summary = MessageIntake.Summarize(parsed!, plan.Now);
                var targets = output.Folders.Distinct(StringComparer.Ordinal).Select(f => new DeliveryTarget(output.OwnerId, f, MessageFlags.None)).ToArray();
                plan.AddCopies(content, summary, targets);
                plan.FoldersToEnsure.UnionWith(targets.Where(t => !DefaultFolders.Contains(t.Folder)).Select(t => (output.OwnerId, t.Folder)));
            }

            if (output.Reject is { } reason)
            {
                PlanNotice(plan, new DeliveryReport(
                    ReportAction.Failed,
                    entry.Sender,
                    [new FailedRecipient(output.Address, output.RejectCode, reason)],
                    content,
                    entry.Created,
                    entry.Hops));
            }
        }

        var committed = await CommitAsync(plan, null, null, ct, scriptRun: record);
        if (committed.Ok)
        {
            _logger.LogDebug(
                "Script {Address}: {Sends} sent, {Forwards} forwarded, {Copies} filed{Rejected}",
                output.Address,
                output.Sends.Count,
                output.Forwards.Count,
                output.Folders.Count,
                output.Reject is null ? string.Empty : ", rejected");
        }

        return committed;
    }

    private static void Enqueue(Plan plan, ScriptOutput output, IReadOnlyList<string> recipients, byte[] raw, int hops)
    {
        if (recipients.Count == 0)
        {
            return;
        }

        var envelope = new Envelope(output.Owner, recipients, MessageOrigin.Filter, output.Owner, null, hops);
        plan.Enqueue.Add(new QueueEntry(
            QueueKind.Inbound, NewDeliveryId(), null, output.Owner, output.OwnerId, recipients, hops, plan.Now, raw,
            HeldMeta.Write(envelope, null, "script " + output.Address)));
    }
}
