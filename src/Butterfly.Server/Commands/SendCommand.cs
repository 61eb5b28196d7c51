using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>send (protocol/client.md): simple fields the server composes, or a raw message in the body.</summary>
internal static class SendCommand
{
    // Lists longer than this are refused as malformed; below it the configured recipient limit
    // gives the clearer recipient.too-many.
    private const int MaxListLength = 10_000;

    public static async ValueTask<Reply> SendAsync(CommandContext context)
    {
        var services = context.Services;
        var account = context.Account;
        var intake = services.Delivery.Intake;
        if (!SubmissionIdField.TryRead(context.Head, out var submissionId, out var submissionError))
        {
            return submissionError;
        }

        // protocol/client.md, "send": a draft the send replaces, removed once the message is sent.
        if (!Fields.TryLong(context.Head, "draft", out var draft, out var draftError))
        {
            return draftError;
        }

        if (!context.Body.IsEmpty && !ComposeRequest.HasAttachments(context.Head))
        {
            // Size is checked before parsing, inside the intake.
            if (!Fields.TryStrings(context.Head, "rcpt", MaxListLength, out var rcpt, out var error))
            {
                return error;
            }

            var raw = context.Body;
            var check = intake.Check(raw, out var parsed, out var problem);
            if (check != ErrorCode.None)
            {
                return Reply.Fail(check, problem ?? check.DefaultMessage());
            }

            var recipients = rcpt.Count > 0
                ? rcpt
                : parsed!.To.Concat(parsed.Cc).Concat(parsed.Bcc).Select(a => a.Address).ToArray();
            return await DeliverAsync(context, new Submission(account.Id, account.Address, recipients, raw, parsed!, DropBcc: true, context.Session.RemoteAddress) { SubmissionId = submissionId }, draft);
        }

        if (!ComposeRequest.TryRead(context, out var fields, out var fieldError)
            || !ComposeRequest.TryCompose(context, fields, keepBcc: false, out var composedBytes, out var envelope, out fieldError))
        {
            return fieldError;
        }

        var composed = intake.Check(composedBytes, out var checkedMessage, out var composeProblem);
        if (composed != ErrorCode.None)
        {
            return Reply.Fail(composed, composeProblem ?? composed.DefaultMessage());
        }

        return await DeliverAsync(context, new Submission(account.Id, account.Address, envelope, composedBytes, checkedMessage!, DropBcc: false, context.Session.RemoteAddress) { SubmissionId = submissionId }, draft);
    }

    private static async ValueTask<Reply> DeliverAsync(CommandContext context, Submission submission, long? draft)
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

        bool? draftRemoved = draft is { } draftId ? await DraftCommands.RemoveAfterSendAsync(context, draftId) : null;
        return JsonReply.Ok(new SendReply(outcome.MessageId, new SentCopyDto("Sent", outcome.SentId), recipients, draftRemoved), ProtocolJson.Default.SendReply);
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
