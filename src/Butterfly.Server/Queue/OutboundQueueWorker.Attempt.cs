using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Queue;

/// <content>One attempt: outbound filters, then the delivery to the peer.</content>
internal sealed partial class OutboundQueueWorker
{
    private async Task AttemptAsync(QueuedMessage entry, CancellationToken ct)
    {
        var content = await _store.Queue.ReadContentAsync(entry.Id, ct);
        if (content is null)
        {
            // Dropped by the operator since the due list was read.
            return;
        }

        var outcome = await TryDeliverAsync(entry, content, ct);
        await RecordAsync(entry, content, outcome);
    }

    private async Task<AttemptOutcome> TryDeliverAsync(QueuedMessage entry, byte[] content, CancellationToken ct)
    {
        var domain = entry.Domain ?? string.Empty;
        var recipients = entry.Recipients;
        ReadOnlyMemory<byte> message = content;

        // filter.md, "Stages": the outbound stage runs before each attempt.
        if (_filters.HasStage(FilterStage.Outbound))
        {
            var envelope = new Envelope(
                entry.Sender,
                recipients,
                entry.SenderAccountId is null ? MessageOrigin.Filter : MessageOrigin.Local,
                entry.SenderAccountId is null ? null : entry.Sender,
                null,
                entry.Hops);
            var verdict = await _filters.RunAsync(FilterStage.Outbound, envelope, content, ct);
            switch (verdict.Action)
            {
                case FilterAction.Discard:
                    _logger.LogInformation("Queue {Id}: discarded by an outbound filter", entry.Id);
                    return new AttemptOutcome(recipients, [], [], Replied: false);
                case FilterAction.Reject:
                    var code = verdict.Code ?? ErrorCode.FilterRejected.ToWire();
                    var reason = verdict.Reason ?? ErrorCode.FilterRejected.DefaultMessage();
                    return new AttemptOutcome([], [.. recipients.Select(r => new FailedRecipient(r, code, reason))], [], Replied: false);
                case FilterAction.TempFail:
                    var tempCode = verdict.Code ?? ErrorCode.FilterTempFail.ToWire();
                    var tempReason = verdict.Reason ?? ErrorCode.FilterTempFail.DefaultMessage();
                    return new AttemptOutcome([], [], [.. recipients.Select(r => new FailedRecipient(r, tempCode, tempReason) { Temporary = true })], Replied: false);
                default:
                    message = verdict.Message;

                    // One delivery carries one domain: recipients a filter moved elsewhere are not this entry's.
                    var kept = verdict.Recipients.Where(r => OnDomain(r, domain)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
                    if (kept.Length != verdict.Recipients.Count)
                    {
                        _logger.LogWarning("Queue {Id}: an outbound filter named recipients outside {Domain}; they are left out", entry.Id, domain);
                    }

                    if (kept.Length == 0)
                    {
                        return new AttemptOutcome(recipients, [], [], Replied: false);
                    }

                    recipients = kept;
                    break;
            }
        }

        IReadOnlyList<RecipientResult> results;
        try
        {
            results = await _transport.DeliverAsync(domain, entry.DeliveryId, entry.Sender, recipients, entry.Hops, message, ct);
        }
        catch (PeerException ex)
        {
            _logger.LogInformation("Queue {Id} to {Domain}: {Kind} failure: {Code}: {Message}", entry.Id, domain, ex.Permanent ? "permanent" : "temporary", ex.Code, ex.Message);
            var failed = recipients.Select(r => new FailedRecipient(r, ex.Code, ex.Message) { Temporary = !ex.Permanent }).ToArray();
            return ex.Permanent
                ? new AttemptOutcome([], failed, [], Replied: false)
                : new AttemptOutcome([], [], failed, Replied: false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            _logger.LogInformation("Queue {Id} to {Domain}: temporary failure: {Message}", entry.Id, domain, ex.Message);
            return new AttemptOutcome([], [], [.. recipients.Select(r => new FailedRecipient(r, ex is TimeoutException ? "peer.timeout" : "peer.unreachable", ex.Message) { Temporary = true })], Replied: false);
        }

        return Classify(entry, recipients, results);
    }

    private AttemptOutcome Classify(QueuedMessage entry, IReadOnlyList<string> recipients, IReadOnlyList<RecipientResult> results)
    {
        var byRecipient = new Dictionary<string, RecipientResult>(StringComparer.OrdinalIgnoreCase);
        foreach (var result in results)
        {
            byRecipient.TryAdd(result.Recipient, result);
        }

        var delivered = new List<string>();
        var permanent = new List<FailedRecipient>();
        var temporary = new List<FailedRecipient>();
        foreach (var recipient in recipients)
        {
            if (!byRecipient.TryGetValue(recipient, out var result))
            {
                // peer.md, "Results": every recipient gets a result; a missing one is retried.
                temporary.Add(new FailedRecipient(recipient, null, "The peer gave no result for this recipient.") { Temporary = true, RemoteMta = entry.Domain });
            }
            else if (result.Status == RecipientStatus.Delivered)
            {
                delivered.Add(recipient);
            }
            else if (result.IsPermanentFailure)
            {
                permanent.Add(new FailedRecipient(recipient, result.Code, result.Message ?? DescribeStatus(result.Status)) { RemoteMta = entry.Domain });
            }
            else
            {
                temporary.Add(new FailedRecipient(recipient, result.Code, result.Message ?? DescribeStatus(result.Status)) { Temporary = true, RemoteMta = entry.Domain });
            }
        }

        _logger.LogInformation(
            "Queue {Id} to {Domain}: {Delivered} delivered, {Permanent} failed, {Temporary} to retry",
            entry.Id,
            entry.Domain,
            delivered.Count,
            permanent.Count,
            temporary.Count);
        return new AttemptOutcome(delivered, permanent, temporary, Replied: true);
    }

    private static string DescribeStatus(string status) => status switch
    {
        RecipientStatus.Unknown => "No such user on the receiving server.",
        RecipientStatus.OverQuota => "The recipient's mailbox is full.",
        RecipientStatus.Rejected => "The receiving server refused the message.",
        _ => "The receiving server could not take the message now.",
    };

    private static bool OnDomain(string recipient, string domain)
    {
        var at = recipient.LastIndexOf('@');
        return at >= 0 && string.Equals(recipient[(at + 1)..], domain, StringComparison.OrdinalIgnoreCase);
    }
}
