using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// <c>script.allow</c>, <c>script.disallow</c>, <c>script.addresses</c> on the control socket (control.md,
/// "Programmable addresses"): the operator says which addresses may have a script and which account owns each.
/// </summary>
internal static class ScriptControlCommands
{
    public static async ValueTask<Reply> AllowAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryString(request.Head, "owner", out var owner, out error))
        {
            return error;
        }

        var services = request.Services;
        if (!AccountRules.TryCheckAddress(address, services.Options.Domains, out var normalized, out var problem))
        {
            return Reply.Fail(ErrorCode.AccountInvalidAddress, problem);
        }

        var result = await services.Store.Scripts.AllowAsync(normalized, owner, request.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        services.Logger.LogInformation("Operator allowed a script at {Address}, owned by {Owner}", result.Value!.Address, result.Value.Owner);
        return Of(result.Value);
    }

    public static async ValueTask<Reply> DisallowAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var result = await request.Services.Store.Scripts.DisallowAsync(address, request.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        request.Services.Logger.LogInformation("Operator disallowed the script at {Address}; its script, state and log are deleted", result.Value!.Address);
        return Of(result.Value);
    }

    public static async ValueTask<Reply> ListAsync(ControlRequest request)
    {
        var scripts = await request.Services.Store.Scripts.ListAsync(null, request.Aborted);
        return ScriptReplies.Ok(w => ScriptReplies.WriteList(w, scripts));
    }

    private static Reply Of(ScriptAddress allowed) => ScriptReplies.Ok(w =>
    {
        w.WriteString("address"u8, allowed.Address);
        w.WriteString("owner"u8, allowed.Owner);
        w.WriteString("created"u8, allowed.Created);
    });
}
