using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Butterfly.Server.Events;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Server.Telemetry;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>
/// The one path every message takes (DESIGN.md, "Delivery pipeline"), whether from a local client,
/// a peer or a filter: resolve recipients (accounts, claimed addresses, remote domains), add the
/// trace, run the inbound filters, then commit in one durable transaction the local copies, the
/// sender's Sent copy, the outbound queue entries, held mail and injected messages.
/// </summary>
internal sealed partial class DeliveryPipeline
{
    private readonly ButterflyOptions _options;
    private readonly IMailStore _store;
    private readonly IFilterChain _filters;
    private readonly ILogger _logger;
    private readonly ILogger _delivered;
    private readonly ISenderOwnership _ownership;
    private readonly EventHub? _events;
    private readonly IRemoteRoutes? _remoteRoutes;
    private readonly DomainAlignment _alignment = DomainAlignment.System;
    private int _retryHeldNow;

    public DeliveryPipeline(ButterflyOptions options, IMailStore store, ILoggerFactory loggers, IFilterChain filters, ISenderOwnership? ownership = null, EventHub? events = null, IRemoteRoutes? remoteRoutes = null)
    {
        _remoteRoutes = remoteRoutes;
        _events = events;
        _ownership = ownership ?? new OwnedAddresses(store);
        _options = options;
        _store = store;
        _filters = filters;
        _logger = loggers.CreateLogger("Butterfly.Delivery");
        _delivered = loggers.CreateLogger(DeliveryLog.Category);
        Intake = new MessageIntake(options);
    }

    /// <summary>Checks submitted messages.</summary>
    public MessageIntake Intake { get; }

    /// <summary>Set when mail for a remote domain was queued: wakes the outbound queue.</summary>
    public WorkSignal OutboundQueued { get; } = new();

    /// <summary>Set when mail for an address with a script was queued: wakes the script worker.</summary>
    public WorkSignal ScriptQueued { get; } = new();

    /// <summary>Set when inbound mail was held or injected: wakes the held-mail worker.</summary>
    public WorkSignal HeldQueued { get; } = new();

    /// <summary>
    /// Makes every held message due at once and wakes the worker: a filter has (re)registered, so
    /// the mail held for it need not wait out its retry interval (filter.md, "Failure policies").
    /// </summary>
    public void RetryHeldNow()
    {
        Interlocked.Exchange(ref _retryHeldNow, 1);
        HeldQueued.Set();
    }

    /// <summary>Whether <see cref="RetryHeldNow"/> was asked for since the last call; clears the request.</summary>
    internal bool TakeRetryHeldNow() => Interlocked.Exchange(ref _retryHeldNow, 0) == 1;

    /// <summary>The work of <see cref="DeliverAsync"/>, which records what became of the message.</summary>
    private async Task<DeliveryOutcome> DeliverSubmissionAsync(Submission submission)
    {
        // A retry of a submission committed before gets its answer without routing or filtering again.
        if (submission.SubmissionId is { } submissionId
            && await _store.Submissions.FindAsync(submission.SenderId, submissionId) is { } recorded)
        {
            return Repeated(submission, recorded);
        }

        var (identityError, identityProblem) = await CheckLocalSenderAsync(submission, CancellationToken.None);
        if (identityError != ErrorCode.None)
        {
            return DeliveryOutcome.Refused(identityError, identityProblem!);
        }

        var (error, problem, route) = await RouteAsync(submission.Recipients, MessageOrigin.Local, submission.Sender, submission.Raw.Length, CancellationToken.None);
        if (error != ErrorCode.None)
        {
            return DeliveryOutcome.Refused(error, problem!);
        }

        var (unreachable, unreachableProblem, via) = await CheckRemoteAsync(route);
        if (unreachable != ErrorCode.None)
        {
            return DeliveryOutcome.Refused(unreachable, unreachableProblem!);
        }

        var parsed = submission.Parsed;
        var hops = Hops(parsed, 0);
        if (hops > _options.Limits.MaxHops)
        {
            return DeliveryOutcome.Refused(ErrorCode.MessageLoop, $"The message has made {hops} hops; this server allows {_options.Limits.MaxHops}.");
        }

        var now = DateTimeOffset.UtcNow;
        var messageId = parsed.MessageId ?? NewMessageId();
        var trace = TraceField($"{submission.Remote} (authenticated as {submission.Sender})", route.Count == 1 ? route.Single : null, now, RawHeaders.LineEnding(submission.Raw.Span));
        var content = WithTrace(submission.Raw.Span, parsed, trace, now, messageId, submission.DropBcc);
        var summary = MessageIntake.Summarize(parsed, now, messageId);
        var envelope = new Envelope(submission.Sender, route.Addresses, MessageOrigin.Local, submission.Sender, null, hops);

        var plan = new Plan(now);
        await PlanLocalAsync(plan, envelope, content, summary, route, submission.SenderId, refuseWhole: true, CancellationToken.None);
        if (plan.Refusal is { } refusal)
        {
            return DeliveryOutcome.Refused(refusal.Error, refusal.Reason, refusal.WireCode);
        }

        PlanRemote(plan, envelope, content, route, submission.SenderId);
        var sentIndex = plan.AddCopies(content, summary, [new DeliveryTarget(submission.SenderId, "Sent", MessageFlags.Seen)]);
        var record = submission.SubmissionId is { } id
            ? new SubmissionRecord(submission.SenderId, id, SubmissionAnswerJson.Write(messageId, plan.Results)) { CopyIndex = plan.CopyIndex(sentIndex) }
            : null;
        var committed = await CommitAsync(plan, null, null, CancellationToken.None, record);
        if (!committed.Ok)
        {
            // An account or folder went away between routing and the commit, or the disk is too full
            // (storage.full, temporary): nothing was stored or sent.
            return committed.Error == StoreError.StorageFull
                ? DeliveryOutcome.Refused(ErrorCode.StorageFull, $"{committed.Detail} Nothing was sent.")
                : DeliveryOutcome.Refused(ErrorCode.ServerInternal, $"The message could not be stored ({committed.Detail}); nothing was sent.");
        }

        var result = committed.Value!;
        if (result.ExistingSubmission is { } first)
        {
            // The same id committed while this one was being routed (a retry racing the original).
            return Repeated(submission, first);
        }

        _logger.LogDebug(
            "Delivered {MessageId} from {Sender}: {Local} local, {Remote} remote, {Held} held",
            messageId,
            submission.Sender,
            route.Locals.Count,
            route.RemoteCount,
            plan.HeldCount);

        return new DeliveryOutcome(
            ErrorCode.None,
            null,
            messageId,
            result.Copies[plan.CopyIndex(sentIndex)].Id,
            plan.Results.Select(r => (r.Recipient, r.Status)).ToArray())
        {
            Via = via,
        };
    }

    /// <summary>The work of <see cref="DeliverFromPeerAsync"/>, which records what became of the message.</summary>
    private async Task<PeerDeliveryOutcome> DeliverPeerMessageAsync(PeerDelivery delivery, CancellationToken ct)
    {
        var recorded = await _store.PeerRecords.FindAsync(delivery.PeerDomain, delivery.DeliveryId, ct);
        if (recorded is not null)
        {
            return new PeerDeliveryOutcome(PeerResultsJson.Read(recorded), Duplicate: true);
        }

        if (PeerFromProblem(delivery) is { } misaligned)
        {
            return await RefusePeerSenderAsync(delivery, misaligned, ct);
        }

        var parsed = delivery.Parsed;
        var hops = Hops(parsed, delivery.Hops);
        var plan = new Plan(DateTimeOffset.UtcNow);
        var (_, _, route) = await RouteAsync(delivery.Recipients, MessageOrigin.Peer, delivery.Sender, delivery.Raw.Length, ct);
        plan.Results.AddRange(route.Failed);
        if (hops > _options.Limits.MaxHops)
        {
            var reason = $"The message has made {hops} hops; this server allows {_options.Limits.MaxHops}.";
            plan.Results.AddRange(route.Addresses.Select(a => new RecipientResult(a, RecipientStatus.Rejected, ErrorCode.MessageLoop.ToWire(), reason)));
        }
        else if (route.Count > 0)
        {
            var now = plan.Now;
            var messageId = parsed.MessageId ?? NewMessageId();
            var trace = TraceField($"{delivery.PeerDomain} ({delivery.Remote})", route.Count == 1 ? route.Single : null, now, RawHeaders.LineEnding(delivery.Raw.Span));
            var content = WithTrace(delivery.Raw.Span, parsed, trace, now, messageId, dropBcc: false);
            var summary = MessageIntake.Summarize(parsed, now, messageId);
            var envelope = new Envelope(delivery.Sender, route.Addresses, MessageOrigin.Peer, null, delivery.PeerDomain, hops);
            await PlanLocalAsync(plan, envelope, content, summary, route, null, refuseWhole: false, ct);
        }

        var results = plan.Results.ToArray();
        var committed = await CommitAsync(plan, new ReceivedRecord(delivery.PeerDomain, delivery.DeliveryId, PeerResultsJson.Write(results)), null, ct);
        if (!committed.Ok)
        {
            // Nothing was stored nor recorded: the peer tries again later under the same id.
            _logger.LogWarning("Received {DeliveryId} from peer {Peer} could not be stored: {Problem}", delivery.DeliveryId, delivery.PeerDomain, committed.Detail);
            var reason = $"The message could not be stored now ({committed.Detail}); try again later.";
            return new PeerDeliveryOutcome(
                [.. delivery.Recipients.Select(r => new RecipientResult(r, RecipientStatus.TempFail, (committed.Error == StoreError.StorageFull ? ErrorCode.StorageFull : ErrorCode.ServerInternal).ToWire(), reason))], Duplicate: false);
        }

        if (committed.Value!.ExistingResult is { } existing)
        {
            return new PeerDeliveryOutcome(PeerResultsJson.Read(existing), Duplicate: true);
        }

        _logger.LogDebug(
            "Received {DeliveryId} from peer {Peer}: {Results}",
            delivery.DeliveryId,
            delivery.PeerDomain,
            string.Join(", ", results.Select(r => $"{r.Recipient} {r.Status}")));
        return new PeerDeliveryOutcome(results, Duplicate: false);
    }

    private DeliveryOutcome Repeated(Submission submission, SubmissionAnswer answer)
    {
        _logger.LogDebug("Submission {SubmissionId} from {Sender} repeated: answered as the first time, nothing stored", submission.SubmissionId, submission.Sender);
        return SubmissionAnswerJson.Read(answer) with { Repeat = true };
    }

    private static int Hops(Butterfly.Mime.MimeMessage parsed, int envelopeHops) =>
        Math.Max(envelopeHops, parsed.Headers.GetAll("Received").Count);

    /// <summary>Commits the plan in one transaction; a failure (a target account or folder gone) changed nothing.</summary>
    private async Task<StoreResult<CommitResult>> CommitAsync(
        Plan plan, ReceivedRecord? record, QueueUpdate? update, CancellationToken ct, SubmissionRecord? submission = null, ScriptRunRecord? scriptRun = null)
    {
        foreach (var (accountId, folder) in plan.FoldersToEnsure)
        {
            // A filter may file into a folder the account does not have yet: create it (and its parents),
            // as Sieve's fileinto :create does. "Exists already" is the usual answer.
            await _store.Folders.CreateAsync(accountId, folder, ct);
        }

        var result = await _store.Deliveries.CommitAsync(
            new DeliveryCommit(plan.Now)
            {
                Copies = plan.Copies,
                Enqueue = [.. plan.Enqueue, .. plan.Holds],
                QueueUpdate = update,
                Record = record,
                Submission = submission,
                ScriptRun = scriptRun,
            },
            ct);
        if (!result.Ok || result.Value!.IsDuplicate)
        {
            return result;
        }

        NoteQuotaWarnings(result.Value);

        if (plan.Enqueue.Exists(e => e.Kind == QueueKind.Outbound))
        {
            OutboundQueued.Set();
        }

        if (plan.Enqueue.Exists(e => e.Kind == QueueKind.Script))
        {
            ScriptQueued.Set();
        }

        if (plan.Enqueue.Exists(e => e.Kind == QueueKind.Inbound) || plan.Holds.Count > 0)
        {
            HeldQueued.Set();
        }

        return result;
    }
}
