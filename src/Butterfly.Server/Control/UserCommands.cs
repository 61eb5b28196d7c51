using System.Globalization;
using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary><c>user.add</c>, <c>user.list</c>, <c>user.show</c>, <c>user.passwd</c>, <c>user.del</c> (control.md, "Accounts").</summary>
internal static class UserCommands
{
    public static async ValueTask<Reply> AddAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryString(request.Head, "password", out var password, out error))
        {
            return error;
        }

        var services = request.Services;
        if (!AccountRules.TryCheckAddress(address, services.Options.Domains, out var normalized, out var problem))
        {
            return Reply.Fail(ErrorCode.AccountInvalidAddress, problem);
        }

        if (AccountRules.PasswordProblem(password) is { } weak)
        {
            return Reply.Fail(ErrorCode.AccountWeakPassword, weak);
        }

        var result = await services.Store.Accounts.CreateAsync(normalized, password, request.Aborted);
        if (!result.Ok)
        {
            return Fail(result.Error, normalized);
        }

        services.Logger.LogInformation("Operator added the account {Address}", result.Value!.Address);
        return AccountReply(result.Value);
    }

    public static async ValueTask<Reply> ListAsync(ControlRequest request)
    {
        var accounts = await request.Services.Store.Accounts.ListAsync(request.Aborted);
        return JsonReply.Ok(
            new AccountListReply([.. accounts.Select(a => new AccountDto(a.Address, Created(a)))]),
            ProtocolJson.Default.AccountListReply);
    }

    public static async ValueTask<Reply> ShowAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var account = await request.Services.Store.Accounts.FindAsync(address, request.Aborted);
        return account is null ? Fail(StoreError.AccountNotFound, address) : AccountReply(account);
    }

    public static async ValueTask<Reply> PasswdAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error)
            || !Fields.TryString(request.Head, "password", out var password, out error))
        {
            return error;
        }

        if (AccountRules.PasswordProblem(password) is { } weak)
        {
            return Reply.Fail(ErrorCode.AccountWeakPassword, weak);
        }

        var result = await request.Services.Store.Accounts.SetPasswordAsync(address, password, request.Aborted);
        if (!result.Ok)
        {
            return Fail(result.Error, address);
        }

        request.Services.Logger.LogInformation("Operator changed the password of {Address}", result.Value!.Address);
        return AccountReply(result.Value);
    }

    public static async ValueTask<Reply> DeleteAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var result = await request.Services.Store.Accounts.DeleteAsync(address, request.Aborted);
        if (!result.Ok)
        {
            return Fail(result.Error, address);
        }

        request.Services.Logger.LogInformation("Operator deleted the account {Address} with its mail", result.Value!.Address);
        return AccountReply(result.Value);
    }

    private static Reply AccountReply(Account account) =>
        JsonReply.Ok(new AccountReply(account.Address, Created(account)), ProtocolJson.Default.AccountReply);

    private static string Created(Account account) => account.Created.ToString("o", CultureInfo.InvariantCulture);

    private static Reply Fail(StoreError error, string address) => error switch
    {
        StoreError.AccountNotFound => Reply.Fail(ErrorCode.AccountNotFound, $"No account {address}."),
        StoreError.AccountExists => Reply.Fail(ErrorCode.AccountExists, $"An account {address} exists already."),
        StoreError.AddressTaken => Reply.Fail(ErrorCode.AddressTaken, $"{address} is an alias or a list already (butterfly alias list, butterfly mailing-list show)."),
        StoreError.AccountInvalidAddress => Reply.Fail(ErrorCode.AccountInvalidAddress, $"'{address}' is not an address (local@domain)."),
        StoreError.Busy => Reply.Fail(ErrorCode.ServerBusy, "Too many passwords wait to be hashed; try again in a moment."),
        _ => Reply.Fail(ErrorCode.ServerInternal, $"The store refused the change ({error})."),
    };
}
