using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary><c>alias.add</c>, <c>alias.list</c>, <c>alias.del</c> (control.md, "Aliases").</summary>
internal static class AliasCommands
{
    /// <summary>Most accounts one alias names in a request.</summary>
    private const int MaxTargets = 1000;

    public static async ValueTask<Reply> AddAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryStrings(request.Head, "to", MaxTargets, out var targets, out error))
        {
            return error;
        }

        if (targets.Count == 0)
        {
            return Fields.Invalid("to", "one account or a list of accounts");
        }

        var services = request.Services;
        if (!TryCheckAlias(address, services.Options.Domains, out var normalized, out var problem))
        {
            return Reply.Fail(ErrorCode.AccountInvalidAddress, problem);
        }

        var result = await services.Store.Aliases.AddAsync(normalized, targets, request.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        services.Logger.LogInformation("Operator added the alias {Alias} for {Accounts}", normalized, string.Join(", ", result.Value!.Accounts));
        return JsonReply.Ok(new AliasReply(result.Value.Address, result.Value.Accounts), ProtocolJson.Default.AliasReply);
    }

    public static async ValueTask<Reply> ListAsync(ControlRequest request)
    {
        var aliases = await request.Services.Store.Aliases.ListAsync(request.Aborted);
        return JsonReply.Ok(new AliasListReply([.. aliases.Select(a => new AliasDto(a.Address, a.Accounts))]), ProtocolJson.Default.AliasListReply);
    }

    public static async ValueTask<Reply> DeleteAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var result = await request.Services.Store.Aliases.DeleteAsync(address, request.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        request.Services.Logger.LogInformation("Operator deleted the alias {Alias}", result.Value!.Address);
        return JsonReply.Ok(new AliasReply(result.Value.Address, result.Value.Accounts), ProtocolJson.Default.AliasReply);
    }

    /// <summary>An alias is <c>local@domain</c> or <c>@domain</c> (the catch-all) on a served domain.</summary>
    private static bool TryCheckAlias(string address, IReadOnlyList<string> domains, out string normalized, out string problem)
    {
        if (address.StartsWith('@'))
        {
            // "@domain" is checked as "x@domain", then the "x" is dropped.
            var ok = AccountRules.TryCheckAddress("x" + address, domains, out var checkedAddress, out var checkedProblem);
            normalized = ok ? checkedAddress![1..] : string.Empty;
            problem = checkedProblem ?? string.Empty;
            return ok;
        }

        var valid = AccountRules.TryCheckAddress(address, domains, out var plain, out var why);
        normalized = plain ?? string.Empty;
        problem = why ?? string.Empty;
        return valid;
    }
}
