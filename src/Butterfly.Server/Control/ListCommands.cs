using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// <c>list.create</c>, <c>.add</c>, <c>.remove</c>, <c>.show</c>, <c>.policy</c>, <c>.delete</c> on the control socket
/// (control.md, "Distribution lists"): the operator manages every list.
/// </summary>
internal static class ListCommands
{
    public static async ValueTask<Reply> CreateAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryString(request.Head, "owner", out var owner, out error)
            || !ListReplies.TryPolicy(request.Head, out var policy, out error))
        {
            return error;
        }

        var services = request.Services;
        if (!AccountRules.TryCheckAddress(address, services.Options.Domains, out var normalized, out var problem))
        {
            return Reply.Fail(ErrorCode.AccountInvalidAddress, problem);
        }

        var result = await services.Store.Lists.CreateAsync(normalized, owner, policy, request.Aborted);
        if (result.Ok)
        {
            services.Logger.LogInformation("Operator created the list {List} owned by {Owner}", result.Value!.Address, result.Value.Owner);
        }

        return ListReplies.Of(result);
    }

    public static async ValueTask<Reply> ShowAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var list = await request.Services.Store.Lists.FindAsync(address, request.Aborted);
        return list is null ? ListReplies.NotFound(address) : ListReplies.Of(list);
    }

    public static async ValueTask<Reply> AddAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryString(request.Head, "member", out var member, out error))
        {
            return error;
        }

        return ListReplies.Of(await request.Services.Store.Lists.AddMemberAsync(address, member, null, request.Aborted));
    }

    public static async ValueTask<Reply> RemoveAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryString(request.Head, "member", out var member, out error))
        {
            return error;
        }

        return ListReplies.Of(await request.Services.Store.Lists.RemoveMemberAsync(address, member, null, request.Aborted));
    }

    public static async ValueTask<Reply> PolicyAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !ListReplies.TryPolicy(request.Head, out var policy, out error))
        {
            return error;
        }

        return ListReplies.Of(await request.Services.Store.Lists.SetPolicyAsync(address, policy, null, request.Aborted));
    }

    public static async ValueTask<Reply> DeleteAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var result = await request.Services.Store.Lists.DeleteAsync(address, null, request.Aborted);
        if (result.Ok)
        {
            request.Services.Logger.LogInformation("Operator deleted the list {List}", result.Value!.Address);
        }

        return ListReplies.Of(result);
    }
}
