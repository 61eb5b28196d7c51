using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Planning the local part of a delivery: inbound filters, claimed addresses, holds and injections.</summary>
internal sealed partial class DeliveryPipeline
{
    private static readonly HashSet<string> DefaultFolders = new(["Inbox", "Sent", "Drafts", "Junk", "Trash"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Plans the copies for local accounts (after the inbound filters), the fan-out of distribution
    /// lists, and the mail for claimed addresses (after the claiming filter), with any holds and
    /// injections they cause. With
    /// <c>refuseWhole</c> (a local client's send) a filter's reject refuses the whole message.
    /// </summary>
    private async Task PlanLocalAsync(
        Plan plan, Envelope envelope, ReadOnlyMemory<byte> content, ContentSummary summary, Route route, long? senderAccountId, bool refuseWhole, CancellationToken ct)
    {
        var accepted = envelope.Origin == MessageOrigin.Local ? RecipientStatus.Held : RecipientStatus.Delivered;
        if (route.Locals.Count > 0)
        {
            var locals = route.Locals.Select(a => a.Address).ToArray();
            if (!_filters.HasStage(FilterStage.Inbound))
            {
                plan.AddCopies(content, summary, route.Locals.Select(a => new DeliveryTarget(a.Id, route.FolderOf(a), MessageFlags.None)).ToArray());
                plan.FoldersToEnsure.UnionWith(route.Folders.Select(f => (f.Key, f.Value)));
                plan.Results.AddRange(locals.Select(a => new RecipientResult(a, RecipientStatus.Delivered, null, null)));
            }
            else
            {
                var outcome = await _filters.RunAsync(FilterStage.Inbound, envelope with { Recipients = locals }, content, ct);
                if (!Apply(plan, outcome, envelope, locals, route, content, summary, senderAccountId, refuseWhole, accepted, claimed: null))
                {
                    return;
                }
            }

            FoldResults(plan, route);
        }

        PlanLists(plan, envelope, content, route);
        PlanScripts(plan, envelope, content, route, senderAccountId);

        foreach (var (filter, addresses) in route.Claimed)
        {
            // filter.md, "Claimed addresses": only the claiming filter sees this mail.
            var outcome = await _filters.RunClaimAsync(filter, envelope with { Recipients = addresses }, content, ct);
            if (!Apply(plan, outcome, envelope, addresses, route, content, summary, senderAccountId, refuseWhole, accepted, claimed: addresses))
            {
                return;
            }
        }
    }

    /// <summary>Turns one filter outcome into copies, holds, injections and results.</summary>
    /// <returns>False when the whole message is refused.</returns>
    private bool Apply(
        Plan plan,
        FilterOutcome outcome,
        Envelope envelope,
        IReadOnlyList<string> recipients,
        Route route,
        ReadOnlyMemory<byte> content,
        ContentSummary summary,
        long? senderAccountId,
        bool refuseWhole,
        string heldStatus,
        IReadOnlyList<string>? claimed)
    {
        switch (outcome.Action)
        {
            case FilterAction.Reject:
                var code = outcome.Code ?? ErrorCode.FilterRejected.ToWire();
                var reason = outcome.Reason ?? ErrorCode.FilterRejected.DefaultMessage();
                if (refuseWhole)
                {
                    plan.Refusal = (ErrorCode.FilterRejected, reason, code);
                    return false;
                }

                plan.Results.AddRange(recipients.Select(r => new RecipientResult(r, RecipientStatus.Rejected, code, reason)));
                return true;

            case FilterAction.TempFail:
                // filter.md, "Failure policies": hold the message durably and try the filters again later.
                plan.Holds.Add(new QueueEntry(
                    QueueKind.Inbound,
                    NewDeliveryId(),
                    null,
                    envelope.Sender,
                    senderAccountId,
                    recipients,
                    envelope.Hops,
                    plan.Now.AddSeconds(_options.Queue.HeldRetrySeconds),
                    content,
                    HeldMeta.Write(envelope, outcome.Reason)));
                plan.HeldCount += recipients.Count;
                plan.Results.AddRange(recipients.Select(r => new RecipientResult(r, heldStatus, null, null)));
                return true;

            case FilterAction.Discard:
                plan.Results.AddRange(recipients.Select(r => new RecipientResult(r, RecipientStatus.Delivered, null, null)));
                PlanInjections(plan, outcome, envelope);
                return true;
        }

        var message = outcome.Message;
        var finalSummary = summary;
        if (!message.Span.SequenceEqual(content.Span))
        {
            finalSummary = Intake.Check(message, out var parsed, out _) == ErrorCode.None
                ? MessageIntake.Summarize(parsed!, summary.Date, summary.MessageId)
                : summary;
        }

        var original = new HashSet<string>(recipients, StringComparer.Ordinal);
        var targets = new List<DeliveryTarget>();
        var added = new List<string>();
        foreach (var recipient in outcome.Recipients)
        {
            if (claimed is not null && claimed.Contains(recipient, StringComparer.Ordinal))
            {
                continue;
            }

            if (!original.Contains(recipient))
            {
                added.Add(recipient);
                continue;
            }

            // Only routed accounts are filed here; recipients a filter adds go round again.
            var account = route.Locals.Find(a => a.Address == recipient);
            if (account is null)
            {
                continue;
            }

            var folder = Pick(outcome.Folders, recipient) ?? route.FolderOf(account);
            if (!DefaultFolders.Contains(folder))
            {
                plan.FoldersToEnsure.Add((account.Id, folder));
            }

            targets.Add(new DeliveryTarget(account.Id, folder, PickFlags(outcome.Flags, recipient)));
        }

        if (targets.Count > 0)
        {
            plan.AddCopies(message, finalSummary, targets);
        }

        plan.Results.AddRange(recipients.Select(r => new RecipientResult(r, RecipientStatus.Delivered, null, null)));
        if (added.Count > 0)
        {
            // Recipients a filter adds get the message through the pipeline again, one hop further.
            plan.Enqueue.Add(new QueueEntry(
                QueueKind.Inbound, NewDeliveryId(), null, envelope.Sender, senderAccountId, added, envelope.Hops + 1, plan.Now, message,
                HeldMeta.Write(envelope with { Origin = MessageOrigin.Filter }, null)));
        }

        PlanInjections(plan, outcome, envelope);
        return true;
    }

    private void PlanInjections(Plan plan, FilterOutcome outcome, Envelope envelope)
    {
        foreach (var injection in outcome.Injections)
        {
            PlanInjection(plan, injection, envelope.Hops + 1);
        }
    }

    /// <summary>
    /// filter.md, "Inject": a new message goes through delivery again with one more hop. It is queued
    /// in the same transaction as the outcome that caused it, so neither is lost without the other.
    /// </summary>
    private void PlanInjection(Plan plan, InjectedMessage injection, int hops)
    {
        if (Intake.Check(injection.Raw, out var parsed, out var problem) != ErrorCode.None)
        {
            _logger.LogWarning("Filter {Filter} injected an invalid message, dropped: {Problem}", injection.Filter, problem);
            return;
        }

        var messageId = parsed!.MessageId ?? NewMessageId();
        var trace = TraceField($"filter {injection.Filter}", injection.Recipients.Count == 1 ? injection.Recipients[0] : null, plan.Now, RawHeaders.LineEnding(injection.Raw.Span));
        var raw = WithTrace(injection.Raw.Span, parsed, trace, plan.Now, messageId, dropBcc: true);
        var injected = new Envelope(injection.Sender, injection.Recipients, MessageOrigin.Filter, null, null, hops);
        plan.Enqueue.Add(new QueueEntry(
            QueueKind.Inbound, NewDeliveryId(), null, injection.Sender, null, injection.Recipients, hops, plan.Now, raw,
            HeldMeta.Write(injected, null, injection.Filter)));
    }

    /// <summary>Queues remote recipients, one entry per domain carrying all its recipients (peer.md, "Delivering").</summary>
    private void PlanRemote(Plan plan, Envelope envelope, ReadOnlyMemory<byte> content, Route route, long? senderAccountId)
    {
        foreach (var (domain, addresses) in route.Remote)
        {
            plan.Enqueue.Add(new QueueEntry(
                QueueKind.Outbound, NewDeliveryId(), domain, envelope.Sender, senderAccountId, addresses, envelope.Hops, plan.Now, content));
            plan.Results.AddRange(addresses.Select(a => new RecipientResult(a, RecipientStatus.Queued, null, null)));
        }
    }

    private static string? Pick(IReadOnlyDictionary<string, string> map, string recipient) =>
        map.TryGetValue(recipient, out var value) || map.TryGetValue("*", out value) ? value : null;

    private static MessageFlags PickFlags(IReadOnlyDictionary<string, MessageFlags> map, string recipient) =>
        (map.TryGetValue(recipient, out var own) ? own : MessageFlags.None) | (map.TryGetValue("*", out var all) ? all : MessageFlags.None);

    /// <summary>The origin details a held or injected entry carries, in its <see cref="QueueEntry.Meta"/>.</summary>
    internal static class HeldMeta
    {
        public static string Write(Envelope envelope, string? reason, string? filter = null)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("origin", envelope.Origin.ToString().ToLowerInvariant());
                writer.WriteString("account", envelope.Account);
                writer.WriteString("peer", envelope.PeerDomain);
                writer.WriteString("filter", filter);
                writer.WriteString("reason", reason);
                writer.WriteEndObject();
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        public static (MessageOrigin Origin, string? Account, string? Peer) Read(string? meta)
        {
            if (string.IsNullOrEmpty(meta))
            {
                return (MessageOrigin.Filter, null, null);
            }

            using var document = JsonDocument.Parse(meta);
            var root = document.RootElement;
            var origin = root.TryGetProperty("origin", out var o) && Enum.TryParse<MessageOrigin>(o.GetString(), ignoreCase: true, out var parsed)
                ? parsed
                : MessageOrigin.Filter;
            return (origin, Text(root, "account"), Text(root, "peer"));
        }

        /// <summary>Whether the entry is a message a script sent or forwarded (DeliveryPipeline.Scripts, "script ADDRESS").</summary>
        public static bool FromScript(string? meta)
        {
            if (string.IsNullOrEmpty(meta))
            {
                return false;
            }

            using var document = JsonDocument.Parse(meta);
            return Text(document.RootElement, "filter") is { } filter && filter.StartsWith("script ", StringComparison.Ordinal);
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
