using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>message.store and message.replace (protocol/client.md): a client's own message into its own folder.</summary>
internal static class MessageWriteCommands
{
    public static async ValueTask<Reply> StoreAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Drafts")
            || !Fields.TryStrings(context.Head, "flags", 8, out var flagNames, out error)
            || !SubmissionIdField.TryRead(context.Head, out var submissionId, out error))
        {
            return error;
        }

        if (!FlagMapping.TryParse(flagNames, out var flags, out var unknown))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"Unknown flag '{unknown}'.");
        }

        var check = context.Services.Delivery.Intake.Check(context.Body, out var parsed, out var problem);
        if (check != ErrorCode.None)
        {
            return Reply.Fail(check, problem ?? check.DefaultMessage());
        }

        // With a submission id, a repeat gets the first copy's folder and id and stores nothing (client.md, "Submission ids").
        var submission = submissionId is null ? null : new Storage.SubmissionRecord(context.Account.Id, submissionId, string.Empty);
        var result = await context.Services.Store.Messages.AppendAsync(
            context.Account.Id, folder, context.Body, MessageIntake.Summarize(parsed!), flags, DateTimeOffset.UtcNow, submission);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        return JsonReply.Ok(new MessageStoreReply(result.Value!.Folder, result.Value.Id), ProtocolJson.Default.MessageStoreReply);
    }

    public static async ValueTask<Reply> ReplaceAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Drafts")
            || !Fields.TryLong(context.Head, "id", out var id, out error)
            || !Fields.TryStrings(context.Head, "flags", 8, out var flagNames, out error))
        {
            return error;
        }

        if (id is null)
        {
            return Fields.Invalid("id", "a message id");
        }

        if (!FlagMapping.TryParse(flagNames, out var flags, out var unknown))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"Unknown flag '{unknown}'.");
        }

        var check = context.Services.Delivery.Intake.Check(context.Body, out var parsed, out var problem);
        if (check != ErrorCode.None)
        {
            return Reply.Fail(check, problem ?? check.DefaultMessage());
        }

        // A replaced draft stays a draft unless the request names other flags.
        flags = flagNames.Count == 0 ? Storage.MessageFlags.Draft : flags;
        var result = await context.Services.Store.Messages.ReplaceAsync(
            context.Account.Id, folder, id.Value, context.Body, MessageIntake.Summarize(parsed!), flags, DateTimeOffset.UtcNow);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        return JsonReply.Ok(new MessageStoreReply(result.Value!.Folder, result.Value.Id, id.Value), ProtocolJson.Default.MessageStoreReply);
    }
}
