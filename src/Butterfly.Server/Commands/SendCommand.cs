using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;
using MimeKit;
using MimeKit.Utils;

namespace Butterfly.Server.Commands;

/// <summary>send (protocol/client.md): simple fields the server composes, or a raw message in the body.</summary>
internal static class SendCommand
{
    private const int MaxTextLength = 16 << 20;

    // Lists longer than this are refused as malformed; below it the configured recipient limit
    // gives the clearer recipient.too-many.
    private const int MaxListLength = 10_000;

    public static async ValueTask<Reply> SendAsync(CommandContext context)
    {
        var services = context.Services;
        var maxRecipients = services.Options.Limits.MaxRecipients;
        var account = context.Account;
        var intake = services.Delivery.Intake;
        ReadOnlyMemory<byte> raw;
        if (!SubmissionIdField.TryRead(context.Head, out var submissionId, out var submissionError))
        {
            return submissionError;
        }

        if (!context.Body.IsEmpty)
        {
            // Size is checked before parsing, inside the intake.
            if (!Fields.TryStrings(context.Head, "rcpt", MaxListLength, out var rcpt, out var error))
            {
                return error;
            }

            raw = context.Body;
            var check = intake.Check(raw, out var parsed, out var problem);
            if (check != ErrorCode.None)
            {
                return Reply.Fail(check, problem ?? check.DefaultMessage());
            }

            var recipients = rcpt.Count > 0
                ? rcpt
                : parsed!.To.Concat(parsed.Cc).Concat(parsed.Bcc).Select(a => a.Address).ToArray();
            return await DeliverAsync(context, new Submission(account.Id, account.Address, recipients, raw, parsed!, DropBcc: true, context.Session.RemoteAddress) { SubmissionId = submissionId });
        }

        if (!Fields.TryStrings(context.Head, "to", MaxListLength, out var to, out var fieldError)
            || !Fields.TryStrings(context.Head, "cc", MaxListLength, out var cc, out fieldError)
            || !Fields.TryStrings(context.Head, "bcc", MaxListLength, out var bcc, out fieldError)
            || !Fields.TryString(context.Head, "subject", out var subject, out fieldError, required: false)
            || !Fields.TryString(context.Head, "text", out var text, out fieldError, required: false))
        {
            return fieldError;
        }

        if (to.Count + cc.Count + bcc.Count > maxRecipients)
        {
            return Reply.Fail(ErrorCode.RecipientTooMany, $"At most {maxRecipients} recipients per message.");
        }

        if (text.Length > MaxTextLength)
        {
            return Reply.Fail(ErrorCode.MessageTooLarge);
        }

        if (!TryCompose(account.Address, services.Options.EffectiveServerName, (to, cc, bcc), subject, text, out var composedBytes, out var envelope, out var invalid))
        {
            return invalid;
        }

        raw = composedBytes;
        var composed = intake.Check(raw, out var checkedMessage, out var composeProblem);
        if (composed != ErrorCode.None)
        {
            return Reply.Fail(composed, composeProblem ?? composed.DefaultMessage());
        }

        return await DeliverAsync(context, new Submission(account.Id, account.Address, envelope, raw, checkedMessage!, DropBcc: false, context.Session.RemoteAddress) { SubmissionId = submissionId });
    }

    /// <summary>
    /// protocol/client.md, "send": composes the message from simple fields with MimeKit, From the
    /// account; Bcc recipients go in the envelope only. Each list entry is one address, with or
    /// without a display name.
    /// </summary>
    private static bool TryCompose(
        string from,
        string serverName,
        (IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc) lists,
        string subject,
        string text,
        out byte[] raw,
        out List<string> envelope,
        out Reply error)
    {
        raw = [];
        error = default;
        envelope = new List<string>(lists.To.Count + lists.Cc.Count + lists.Bcc.Count);
        using var message = MessageWriter.NewMessage();
        message.From.Add(new MailboxAddress(string.Empty, from));
        foreach (var (list, header) in new[] { (lists.To, message.To), (lists.Cc, message.Cc), (lists.Bcc, null) })
        {
            foreach (var entry in list)
            {
                if (!MailboxAddress.TryParse(entry, out var mailbox) || !Addresses.TryNormalize(mailbox.Address, out var address, out _))
                {
                    error = Reply.Fail(ErrorCode.RecipientInvalid, $"'{entry}' is not a valid address.");
                    return false;
                }

                header?.Add(mailbox);
                envelope.Add(address);
            }
        }

        if (subject.Length > 0)
        {
            message.Subject = subject;
        }

        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeUtils.GenerateMessageId(serverName);
        message.Body = new TextPart("plain") { Text = text };
        raw = MessageWriter.ToBytes(message);
        return true;
    }

    private static async ValueTask<Reply> DeliverAsync(CommandContext context, Submission submission)
    {
        var outcome = await context.Services.Delivery.DeliverAsync(submission);
        if (outcome.Error != ErrorCode.None)
        {
            var message = outcome.Problem ?? outcome.Error.DefaultMessage();
            return outcome.WireCode is { } wireCode
                ? Reply.Fail(outcome.Error, wireCode, message)
                : Reply.Fail(outcome.Error, message);
        }

        var recipients = new RecipientStatusDto[outcome.Recipients.Count];
        for (var i = 0; i < recipients.Length; i++)
        {
            var (address, status) = outcome.Recipients[i];
            recipients[i] = new RecipientStatusDto(address, status) { Via = ViaOf(outcome, address, status) };
        }

        return JsonReply.Ok(new SendReply(outcome.MessageId, new SentCopyDto("Sent", outcome.SentId), recipients), ProtocolJson.Default.SendReply);
    }

    private static string? ViaOf(DeliveryOutcome outcome, string address, string status)
    {
        var at = address.LastIndexOf('@');
        if (status != RecipientStatus.Queued || outcome.Via is null || at < 0 || !outcome.Via.TryGetValue(address[(at + 1)..], out var via))
        {
            return null;
        }

        return via switch
        {
            RemoteVia.Butterfly => "butterfly",
            RemoteVia.Smtp => "smtp",
            _ => null,
        };
    }
}
