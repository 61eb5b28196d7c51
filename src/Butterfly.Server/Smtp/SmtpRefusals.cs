using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using SmtpServer.Protocol;

namespace Butterfly.Server.Smtp;

/// <summary>One table from what delivery says of a recipient or a message to the SMTP reply (RFC 5321 codes, RFC 3463 enhanced codes).</summary>
internal static class SmtpRefusals
{
    /// <summary>The reply to RCPT TO (or to the end of DATA) for a recipient delivery refused.</summary>
    public static SmtpResponse ForRecipient(RecipientResult refusal)
    {
        var reason = Printable(refusal.Message ?? "refused");
        ErrorCodes.TryParse(refusal.Code, out var code);
        return code switch
        {
            _ when refusal.Status == RecipientStatus.TempFail && code != ErrorCode.StorageFull => new(SmtpReplyCode.Aborted, $"4.3.0 {reason}"),
            ErrorCode.RecipientUnknown => new(SmtpReplyCode.MailboxUnavailable, $"5.1.1 {reason}"),
            ErrorCode.RecipientRelayDenied => new(SmtpReplyCode.MailboxUnavailable, $"5.7.1 Relaying denied: {reason}"),
            ErrorCode.RecipientInvalid => new(SmtpReplyCode.MailboxNameNotAllowed, $"5.1.3 {reason}"),
            ErrorCode.QuotaExceeded => new(SmtpReplyCode.InsufficientStorage, $"4.2.2 {reason}"),
            ErrorCode.ListPostDenied => new(SmtpReplyCode.MailboxUnavailable, $"5.7.1 {reason}"),
            ErrorCode.MessageLoop => new(SmtpReplyCode.TransactionFailed, $"5.4.6 {reason}"),
            ErrorCode.StorageFull => new(SmtpReplyCode.InsufficientStorage, $"4.3.1 {reason}"),
            ErrorCode.RecipientTooMany => new(SmtpReplyCode.InsufficientStorage, $"4.5.3 {reason}"),
            _ => new(SmtpReplyCode.MailboxUnavailable, $"5.7.1 {reason}"),
        };
    }

    private static string Printable(string text) =>
        new([.. text.Take(400).Select(c => char.IsControl(c) ? ' ' : c)]);
}
