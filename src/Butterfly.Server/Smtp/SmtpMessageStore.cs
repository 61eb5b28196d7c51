using System.Buffers;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Smtp.SenderChecks;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Butterfly.Server.Smtp;

/// <summary>
/// The end of DATA: size and syntax checked, sender checks (SPF, DKIM, DMARC) recorded in an
/// Authentication-Results field after any that claims our authserv-id is removed, DMARC
/// <c>p=reject</c> refused, then the one delivery path. <c>250</c> only once the pipeline's commit
/// is durable; any failure of ours is a 4xx, so the sending server keeps the message and tries again.
/// </summary>
internal sealed class SmtpMessageStore(SmtpGateway gateway, ILogger logger) : IMessageStore
{
    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var session = SmtpSessionState.Of(context);
        var guard = session.Pipe.Guard;
        var state = session.Transaction;
        try
        {
            if (guard.TooBig)
            {
                return new SmtpResponse(SmtpReplyCode.SizeLimitExceeded, $"5.3.4 Message too big: {guard.MessageBytes:N0} bytes; this server takes at most {gateway.Options.Limits.MaxMessageBytes:N0}");
            }

            // The guard handed the library one CRLF before the message (see SmtpGuardStream), and the
            // library keeps the CRLF before the final dot as part of the terminator: it is the message's.
            byte[] raw = [];
            if (buffer.Length >= 2)
            {
                raw = new byte[buffer.Length];
                buffer.Slice(2).CopyTo(raw);
                raw[^2] = (byte)'\r';
                raw[^1] = (byte)'\n';
            }

            return await DeliverAsync(session, state, raw, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "SMTP: mail from {Sender} via {Remote} could not be taken", state.Sender, session.Remote);
            return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 The message could not be taken now; try again later");
        }
        finally
        {
            guard.ReleaseMessage();
        }
    }

    private async Task<SmtpResponse> DeliverAsync(SmtpSessionState session, SmtpTransactionState state, byte[] raw, CancellationToken ct)
    {
        var intake = gateway.Pipeline.Intake;
        if (intake.Check(raw, out var parsed, out var problem) != ErrorCode.None)
        {
            return new SmtpResponse(SmtpReplyCode.TransactionFailed, $"5.6.0 {problem}");
        }

        SenderVerdict? verdict = null;
        if (gateway.Options.Smtp.CheckSenders)
        {
            var spf = state.Spf is null ? SpfOutcome.None : await state.Spf;
            verdict = await gateway.Senders.CheckAsync(raw, spf, ct);
            if (verdict.Dmarc.Disposition == "reject")
            {
                logger.LogInformation(
                    "SMTP: refused mail from {Sender} via {Remote}: DMARC fails for {Domain} (p={Policy})",
                    state.Sender,
                    session.Remote,
                    verdict.Dmarc.FromDomain,
                    verdict.Dmarc.Policy);
                return new SmtpResponse(
                    SmtpReplyCode.MailboxUnavailable,
                    $"5.7.1 Rejected by the DMARC policy of {verdict.Dmarc.FromDomain}: neither SPF nor DKIM passes for it");
            }
        }

        var cleaned = AuthenticationResults.RemoveOurs(raw, parsed!, gateway.AuthServId);
        if (!ReferenceEquals(cleaned, raw) && intake.Check(cleaned, out parsed, out problem) != ErrorCode.None)
        {
            return new SmtpResponse(SmtpReplyCode.TransactionFailed, $"5.6.0 {problem}");
        }

        var protocol = (state.Utf8 ? "UTF8SMTP" : session.Extended ? "ESMTP" : "SMTP") + (session.Pipe.IsSecure ? "S" : string.Empty);
        var helo = session.Helo.Length > 0 ? Printable(session.Helo) : "unknown";
        var from = $"{helo} ([{session.Remote.Address}])";
        var arrival = new SmtpArrival(
            state.Sender,
            state.Recipients,
            cleaned,
            parsed!,
            from,
            protocol,
            AuthenticationResults.Write(gateway.AuthServId, verdict),
            verdict?.Dmarc.Disposition == "quarantine");
        var outcome = await gateway.Pipeline.DeliverFromSmtpAsync(arrival, ct);
        if (!outcome.Committed)
        {
            return SmtpRefusals.ForRecipient(outcome.Refusal!);
        }

        logger.LogInformation(
            "SMTP: accepted mail from {Sender} via {Remote} for {Count} recipient(s){Junk}",
            state.Sender,
            session.Remote,
            state.Recipients.Count,
            arrival.Quarantine ? " (DMARC quarantine: to Junk)" : string.Empty);
        return new SmtpResponse(SmtpReplyCode.Ok, "2.0.0 Message accepted for delivery");
    }

    private static string Printable(string text) =>
        new([.. text.Take(255).Where(c => c > ' ' && c < 127 && c is not ('(' or ')' or ';'))]);
}
