using Butterfly.Protocol.Contracts;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary><c>quota.show</c>, <c>quota.set</c> (control.md, "Quotas").</summary>
internal static class QuotaCommands
{
    public static async ValueTask<Reply> ShowAsync(ControlRequest request)
    {
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        var result = await request.Services.Store.Quotas.GetAsync(address, request.Aborted);
        return result.Ok ? QuotaReply(result.Value!) : StoreErrors.Fail(result);
    }

    public static async ValueTask<Reply> SetAsync(ControlRequest request)
    {
        // "quota": bytes (0 and up), "none" for no quota, or null / "default" for the configured default.
        if (!Fields.TryString(request.Head, "address", out var address, out var error))
        {
            return error;
        }

        QuotaSetting setting;
        long bytes = 0;
        var head = request.Head;
        if (!head.TryGetProperty("quota", out var quota) || quota.ValueKind == System.Text.Json.JsonValueKind.Null
            || (quota.ValueKind == System.Text.Json.JsonValueKind.String && quota.GetString() == "default"))
        {
            setting = QuotaSetting.Default;
        }
        else if (quota.ValueKind == System.Text.Json.JsonValueKind.String && quota.GetString() == "none")
        {
            setting = QuotaSetting.Unlimited;
        }
        else if (quota.ValueKind == System.Text.Json.JsonValueKind.Number && quota.TryGetInt64(out bytes) && bytes >= 0)
        {
            setting = QuotaSetting.Account;
        }
        else
        {
            return Fields.Invalid("quota", "a number of bytes (0 or more), \"none\", or \"default\"");
        }

        var result = await request.Services.Store.Quotas.SetAsync(address, setting, bytes, request.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        request.Services.Logger.LogInformation("Operator set the quota of {Address} to {Quota}", result.Value!.Address, result.Value.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        return QuotaReply(result.Value);
    }

    private static Reply QuotaReply(QuotaState state) => JsonReply.Ok(
        new QuotaReply(state.Address, state.Usage, state.Limit, state.Setting switch
        {
            QuotaSetting.Account => "account",
            QuotaSetting.Unlimited => "none",
            _ => "default",
        }),
        ProtocolJson.Default.QuotaReply);
}
