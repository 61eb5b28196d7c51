using Butterfly.Server.Commands;
using Butterfly.Server.Delivery;
using Butterfly.Server.Mail;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Butterfly.Server.Smtp;

/// <summary>
/// MAIL FROM and RCPT TO: the transaction starts (and SPF with it), each recipient is checked the way
/// delivery will route it, and refusals count against the client: each refused recipient adds to its
/// address's penalty (the next RCPT from there waits, as a failed login does), and past
/// <c>smtp.maxBadRecipients</c> in one session it is disconnected.
/// </summary>
internal sealed class SmtpMailboxFilter(SmtpGateway gateway, ILogger logger) : IMailboxFilter
{
    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        var session = SmtpSessionState.Of(context);
        var sender = from.AsAddress() ?? string.Empty;
        var utf8 = session.MailParameters?.ContainsKey("SMTPUTF8") == true;
        var transaction = session.Begin(sender, size, utf8);
        if (gateway.Options.Smtp.CheckSenders)
        {
            transaction.Spf = gateway.Senders.CheckSpfAsync(session.Remote.Address, session.Helo, sender, CancellationToken.None);
        }

        return Task.FromResult(true);
    }

    public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        var session = SmtpSessionState.Of(context);
        var transaction = session.Transaction;
        var (wait, _) = gateway.Penalties.Wait(session.Source);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        if (transaction.Recipients.Count >= gateway.Options.Limits.MaxRecipients)
        {
            throw new SmtpResponseException(new SmtpResponse(
                SmtpReplyCode.InsufficientStorage,
                $"4.5.3 Too many recipients: at most {gateway.Options.Limits.MaxRecipients} per message; send the rest in another"));
        }

        var recipient = to.AsAddress() ?? string.Empty;
        var refusal = await gateway.Pipeline.CheckSmtpRecipientAsync(recipient, transaction.Sender, transaction.DeclaredSize, cancellationToken);
        if (refusal is null)
        {
            transaction.Recipients.Add(recipient);
            return true;
        }

        var response = SmtpRefusals.ForRecipient(refusal);
        if (refusal.IsPermanentFailure)
        {
            session.BadRecipients++;
            gateway.Penalties.Fail(session.Source);
            logger.LogInformation("SMTP: {Remote} RCPT TO:<{Recipient}> refused: {Reply}", session.Remote, recipient, response.Message);
            if (session.BadRecipients >= gateway.Options.Smtp.MaxBadRecipients)
            {
                logger.LogWarning("SMTP: disconnecting {Remote} after {Count} refused recipients", session.Remote, session.BadRecipients);
                throw new SmtpResponseException(
                    new SmtpResponse(SmtpReplyCode.ServiceUnavailable, $"4.7.0 {gateway.ServerName} Too many refused recipients ({session.BadRecipients}); closing"),
                    quit: true);
            }
        }

        throw new SmtpResponseException(response);
    }
}
