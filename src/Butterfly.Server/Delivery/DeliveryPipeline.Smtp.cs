using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Telemetry;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>Mail from the internet through the SMTP gateway: the RCPT check and the delivery at the end of DATA.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Checks one RCPT TO the way delivery will route it (accounts, aliases, lists, claimed and
    /// programmable addresses, subaddresses, catch-alls, quotas): only our own domains, never a relay.
    /// </summary>
    /// <param name="recipient">The address as given.</param>
    /// <param name="sender">The envelope sender (a list's posting policy depends on it).</param>
    /// <param name="size">The size the client declared (MAIL FROM SIZE=), or 0.</param>
    /// <param name="ct">Cancels the lookups.</param>
    /// <returns>Null when the recipient is accepted; else why not.</returns>
    public async Task<RecipientResult?> CheckSmtpRecipientAsync(string recipient, string sender, long size, CancellationToken ct)
    {
        var (error, problem, route) = await RouteAsync([recipient], MessageOrigin.Smtp, sender, size, ct);
        if (route.Failed.Count > 0)
        {
            return route.Failed[0];
        }

        return error == ErrorCode.None ? null : Failure(recipient, RecipientStatus.Rejected, error, problem ?? error.DefaultMessage());
    }

    /// <summary>
    /// Delivers a message from the SMTP gateway through routing, the trace field (with its
    /// Authentication-Results), the inbound filters and claims, and one durable commit. Recipients
    /// that fail now though RCPT accepted them get a bounce in the same commit; when none is left,
    /// nothing is committed and the first failure is the answer.
    /// </summary>
    public async Task<SmtpArrivalOutcome> DeliverFromSmtpAsync(SmtpArrival arrival, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await DeliverSmtpMessageAsync(arrival, ct);
        var result = outcome.Committed ? DeliveryOutcomes.Accepted
            : outcome.Refusal?.Status == RecipientStatus.TempFail ? DeliveryOutcomes.Failed
            : DeliveryOutcomes.Rejected;
        DeliveryLog.Record(
            _delivered, DeliverySources.Smtp, arrival.Parsed.MessageId ?? "-", arrival.Sender, arrival.Recipients.Count, result, arrival.Raw.Length, started);
        return outcome;
    }

    private async Task<SmtpArrivalOutcome> DeliverSmtpMessageAsync(SmtpArrival arrival, CancellationToken ct)
    {
        var parsed = arrival.Parsed;
        var hops = Hops(parsed, 0);
        if (hops > _options.Limits.MaxHops)
        {
            return new SmtpArrivalOutcome(false, Failure(
                arrival.Recipients.FirstOrDefault() ?? string.Empty,
                RecipientStatus.Rejected,
                ErrorCode.MessageLoop,
                $"The message has made {hops} hops; this server allows {_options.Limits.MaxHops}."));
        }

        var (_, _, route) = await RouteAsync(arrival.Recipients, MessageOrigin.Smtp, arrival.Sender, arrival.Raw.Length, ct);
        var plan = new Plan(DateTimeOffset.UtcNow);
        plan.Results.AddRange(route.Failed);
        if (route.Count > 0)
        {
            if (arrival.Quarantine)
            {
                // RFC 7489 §6.3, p=quarantine: "treat as suspicious": the copies go to Junk.
                foreach (var account in route.Locals)
                {
                    route.Folders[account.Id] = "Junk";
                }
            }

            var now = plan.Now;
            var messageId = parsed.MessageId ?? NewMessageId();
            var newline = RawHeaders.LineEnding(arrival.Raw.Span);
            var trace = TraceField(arrival.From, route.Count == 1 ? route.Single : null, now, newline, arrival.Protocol) + arrival.AuthenticationResults;
            var content = WithTrace(arrival.Raw.Span, parsed, trace, now, messageId, dropBcc: false);
            var summary = MessageIntake.Summarize(parsed, now, messageId);
            var envelope = new Envelope(arrival.Sender, route.Addresses, MessageOrigin.Smtp, null, null, hops);
            await PlanLocalAsync(plan, envelope, content, summary, route, null, refuseWhole: false, ct);
        }

        var failed = plan.Results.Where(r => r.IsPermanentFailure || r.Status == RecipientStatus.TempFail).ToList();
        if (failed.Count == plan.Results.Count)
        {
            // Nothing would be kept: refuse at the end of DATA rather than accept and bounce.
            return new SmtpArrivalOutcome(false, failed.FirstOrDefault() ?? Failure(string.Empty, RecipientStatus.Rejected, ErrorCode.RecipientNone, ErrorCode.RecipientNone.DefaultMessage()));
        }

        if (failed.Count > 0)
        {
            PlanNotice(plan, new DeliveryReport(
                ReportAction.Failed,
                arrival.Sender,
                [.. failed.Select(r => new FailedRecipient(r.Recipient, r.Code, r.Message ?? "refused"))],
                arrival.Raw,
                plan.Now,
                hops));
        }

        var committed = await CommitAsync(plan, null, null, ct);
        if (!committed.Ok)
        {
            _logger.LogWarning("Mail from {Sender} by SMTP could not be stored: {Problem}", arrival.Sender, committed.Detail);
            var code = committed.Error == StoreError.StorageFull ? ErrorCode.StorageFull : ErrorCode.ServerInternal;
            return new SmtpArrivalOutcome(false, Failure(string.Empty, RecipientStatus.TempFail, code, $"The message could not be stored now ({committed.Detail}); try again later."));
        }

        _logger.LogDebug(
            "Received by SMTP from {Sender}: {Results}",
            arrival.Sender,
            string.Join(", ", plan.Results.Select(r => $"{r.Recipient} {r.Status}")));
        return SmtpArrivalOutcome.Accepted;
    }
}
