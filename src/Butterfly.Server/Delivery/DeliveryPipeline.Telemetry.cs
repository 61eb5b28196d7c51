using System.Diagnostics;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Server.Telemetry;

namespace Butterfly.Server.Delivery;

/// <summary>The pipeline's entry points, each recording its message (README.md, "Watching it").</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Delivers a local client's submission, or refuses it whole: nothing is stored or queued unless
    /// every recipient is accepted.
    /// </summary>
    /// <param name="submission">The message and its envelope.</param>
    public async Task<DeliveryOutcome> DeliverAsync(Submission submission)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await DeliverSubmissionAsync(submission);
        var result = outcome.Repeat ? DeliveryOutcomes.Duplicate
            : outcome.Error == ErrorCode.None ? DeliveryOutcomes.Accepted
            : outcome.Error is ErrorCode.StorageFull or ErrorCode.ServerInternal ? DeliveryOutcomes.Failed
            : DeliveryOutcomes.Rejected;
        if (!outcome.Repeat)
        {
            foreach (var (_, status) in outcome.Recipients)
            {
                DeliveryLog.Recipient(DeliverySources.Client, status);
            }
        }

        DeliveryLog.Record(
            _delivered, DeliverySources.Client, submission.SubmissionId ?? outcome.MessageId ?? "-", submission.Sender, submission.Recipients.Count, result, submission.Raw.Length, started);
        return outcome;
    }

    /// <summary>
    /// Delivers a message from an authenticated peer: per-recipient results, recorded under the
    /// delivery id in the same transaction, so a repeat gets the same answer and no second copy
    /// (protocol/peer.md, "Exactly once"). The caller has checked the peer and the sender's domain.
    /// </summary>
    public async Task<PeerDeliveryOutcome> DeliverFromPeerAsync(PeerDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var started = Stopwatch.GetTimestamp();
        var outcome = await DeliverPeerMessageAsync(delivery, ct);
        var result = outcome.Duplicate ? DeliveryOutcomes.Duplicate : RecordRecipients(DeliverySources.Peer, outcome.Results);
        DeliveryLog.Record(_delivered, DeliverySources.Peer, delivery.DeliveryId, delivery.Sender, delivery.Recipients.Count, result, delivery.Raw.Length, started);
        return outcome;
    }

    /// <summary>The <c>source</c> a held or injected entry is counted under.</summary>
    /// <param name="origin">The origin the entry's meta names.</param>
    /// <param name="meta">The entry's meta: a script's messages are queued as a filter's, naming the script.</param>
    private static string SourceOf(MessageOrigin origin, string? meta) => origin switch
    {
        MessageOrigin.Local => DeliverySources.Client,
        MessageOrigin.Peer => DeliverySources.Peer,
        MessageOrigin.Notice => DeliverySources.Bounce,
        MessageOrigin.Smtp => DeliverySources.Smtp,
        _ => HeldMeta.FromScript(meta) ? DeliverySources.Script : DeliverySources.Filter,
    };

    /// <summary>Counts each recipient by its status; returns the message's outcome.</summary>
    private static string RecordRecipients(string source, IReadOnlyList<RecipientResult> results)
    {
        int taken = 0, refused = 0, later = 0;
        foreach (var r in results)
        {
            DeliveryLog.Recipient(source, r.Status);
            switch (r.Status)
            {
                case RecipientStatus.TempFail:
                    later++;
                    break;
                case RecipientStatus.Rejected or RecipientStatus.Unknown or RecipientStatus.OverQuota:
                    refused++;
                    break;
                default:
                    taken++;
                    break;
            }
        }

        return (taken, refused, later) switch
        {
            ( > 0, 0, 0) => DeliveryOutcomes.Accepted,
            ( > 0, _, _) => DeliveryOutcomes.Partial,
            (0, _, > 0) => DeliveryOutcomes.Failed,
            _ => DeliveryOutcomes.Rejected,
        };
    }
}
