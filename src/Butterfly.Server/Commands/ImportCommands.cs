using System.Globalization;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Delivery;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>message.import and folder.empty (protocol/client.md): moving mail in, and emptying a folder.</summary>
internal static class ImportCommands
{
    public static async ValueTask<Reply> ImportAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error, fallback: "Inbox")
            || !Fields.TryStrings(context.Head, "flags", 8, out var flagNames, out error)
            || !Fields.TryString(context.Head, "received", out var receivedText, out error, required: false))
        {
            return error;
        }

        if (!FlagMapping.TryParse(flagNames, out var flags, out var unknown))
        {
            return Reply.Fail(ErrorCode.RequestInvalid, $"Unknown flag '{unknown}'.");
        }

        var received = DateTimeOffset.UtcNow;
        if (receivedText.Length > 0
            && !DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out received))
        {
            return Fields.Invalid("received", "an ISO 8601 date and time");
        }

        // The same checks as every message the server takes (client.md, "message.store").
        var check = context.Services.Delivery.Intake.Check(context.Body, out var parsed, out var problem);
        if (check != ErrorCode.None)
        {
            return Reply.Fail(check, problem ?? check.DefaultMessage());
        }

        var result = await context.Services.Store.Messages.ImportAsync(
            context.Account.Id, folder, context.Body, MessageIntake.Summarize(parsed!), flags, received > DateTimeOffset.UtcNow ? DateTimeOffset.UtcNow : received);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var copy = result.Value!;
        return JsonReply.Ok(new MessageImportReply(copy.Folder, copy.Id, copy.Duplicate), ProtocolJson.Default.MessageImportReply);
    }

    public static async ValueTask<Reply> EmptyAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "folder", out var folder, out var error))
        {
            return error;
        }

        var result = await context.Services.Store.Messages.EmptyFolderAsync(context.Account.Id, folder);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        return JsonReply.Ok(new FolderEmptyReply(result.Value!.Folder, result.Value.Expunged), ProtocolJson.Default.FolderEmptyReply);
    }
}
