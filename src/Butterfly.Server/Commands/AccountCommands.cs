using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary><c>account</c> and <c>account.passwd</c>: the logged-in user's own account (protocol/client.md, "account").</summary>
internal static class AccountCommands
{
    public static async ValueTask<Reply> ShowAsync(CommandContext context)
    {
        var store = context.Services.Store;
        var account = context.Account;
        var quota = await store.Quotas.GetAsync(account.Id, context.Aborted);
        if (quota is null)
        {
            return Reply.Fail(ErrorCode.AccountNotFound, $"No account {account.Address}.");
        }

        var aliases = await store.Aliases.OfAccountAsync(account.Id, context.Aborted);
        var lists = await store.Lists.OwnedByAsync(account.Id, context.Aborted);
        return JsonReply.Ok(new AccountInfoReply(account.Address, aliases, lists, quota.Usage, quota.Limit), ProtocolJson.Default.AccountInfoReply);
    }

    public static async ValueTask<Reply> PasswdAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "old", out var old, out var error)
            || !Fields.TryString(context.Head, "new", out var password, out error))
        {
            return error;
        }

        if (password.Length < SessionCommands.MinPasswordLength)
        {
            return Reply.Fail(ErrorCode.AccountWeakPassword);
        }

        var services = context.Services;
        var account = context.Account;

        // The old password is checked like a login (same hashing queue, same cost for a wrong one).
        var checkedOld = await services.Store.Accounts.AuthenticateAsync(account.Address, old);
        if (!checkedOld.Ok)
        {
            services.Logger.LogWarning("{User} from {Remote}: password change refused, {Reason}", account.Address, context.Session.RemoteEndPoint, checkedOld.Error);
            return checkedOld.Error == StoreError.AuthenticationFailed
                ? Reply.Fail(ErrorCode.AuthFailed, "The current password is wrong; nothing was changed.")
                : StoreErrors.Fail(checkedOld);
        }

        var changed = await services.Store.Accounts.SetPasswordAsync(account.Address, password);
        if (!changed.Ok)
        {
            return StoreErrors.Fail(changed);
        }

        services.Logger.LogInformation("{User} changed their password from {Remote}", account.Address, context.Session.RemoteEndPoint);
        return Reply.Ok;
    }
}
