using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>
/// <c>mailing-list.show</c>, <c>.add</c>, <c>.remove</c>, <c>.policy</c>: an owner manages the lists it owns
/// (protocol/client.md, "Distribution lists"). A list the account does not own is answered as not found.
/// </summary>
internal static class MailingListCommands
{
    public static async ValueTask<Reply> ShowAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "list", out var address, out var error))
        {
            return error;
        }

        var list = await context.Services.Store.Lists.FindAsync(address, context.Aborted);
        return list is not null && list.OwnerId == context.Account.Id ? ListReplies.Of(list) : ListReplies.NotFound(address);
    }

    public static async ValueTask<Reply> AddAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "list", out var address, out var error)
            || !Fields.TryString(context.Head, "member", out var member, out error))
        {
            return error;
        }

        return ListReplies.Of(await context.Services.Store.Lists.AddMemberAsync(address, member, context.Account.Id));
    }

    public static async ValueTask<Reply> RemoveAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "list", out var address, out var error)
            || !Fields.TryString(context.Head, "member", out var member, out error))
        {
            return error;
        }

        return ListReplies.Of(await context.Services.Store.Lists.RemoveMemberAsync(address, member, context.Account.Id));
    }

    public static async ValueTask<Reply> PolicyAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "list", out var address, out var error)
            || !ListReplies.TryPolicy(context.Head, out var policy, out error))
        {
            return error;
        }

        return ListReplies.Of(await context.Services.Store.Lists.SetPolicyAsync(address, policy, context.Account.Id));
    }
}
