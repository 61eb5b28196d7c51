using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Scripting;
using Butterfly.Server.Scripts;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Commands;

/// <summary>
/// <c>script.put</c>, <c>.get</c>, <c>.list</c>, <c>.delete</c>, <c>.logs</c>, <c>.state</c>, <c>.test</c>: an owner
/// manages the scripts of the addresses the operator gave it (protocol/client.md, "Programmable
/// addresses"). An address the account does not own is answered <c>script.not-allowed</c>, whether
/// another account owns it or no one does.
/// </summary>
internal static class ScriptCommands
{
    private const int MaxRunsPerReply = 1000;

    public static async ValueTask<Reply> PutAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "address", out var address, out var error))
        {
            return error;
        }

        var host = Host(context);
        if (await OwnedAsync(context, address) is { } refused)
        {
            return refused;
        }

        if (context.Body.Length > host.Options.MaxSourceBytes)
        {
            return Reply.Fail(ErrorCode.ScriptTooLarge, $"The script has {context.Body.Length:N0} bytes; this server takes at most {host.Options.MaxSourceBytes:N0} (scripts.maxSourceBytes).");
        }

        string source;
        try
        {
            source = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(context.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return Reply.Fail(ErrorCode.RequestInvalid, "The script (the request's body) is not UTF-8 text.");
        }

        // Parsed and its top-level code run before anything is stored: a script that fails keeps the old one.
        var compiled = await Task.Run(() => host.Compile(source), context.Aborted);
        if (compiled.Script is not { } prepared)
        {
            return ScriptReplies.Syntax(compiled.Error ?? new ScriptError("syntax-error", "The script does not compile.", null, null));
        }

        var schedule = prepared.HandlesSchedule ? prepared.Schedule : null;
        var result = await context.Services.Store.Scripts.PutAsync(
            address, context.Account.Id, source, prepared.SourceHash, schedule?.ToString(), schedule?.NextAfter(DateTimeOffset.UtcNow), context.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        var script = result.Value!;
        host.Remember(script.Address, script.Hash, prepared);
        host.SchedulesChanged.Set();
        context.Services.Logger.LogInformation("{Account} stored version {Version} of the script of {Address}", context.Account.Address, script.Version, script.Address);
        return ScriptReplies.Ok(w =>
        {
            ScriptReplies.WriteScript(w, script);
            w.WriteBoolean("onMessage"u8, prepared.HandlesMessage);
            w.WriteBoolean("onSchedule"u8, prepared.HandlesSchedule);
        });
    }

    public static async ValueTask<Reply> GetAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "address", out var address, out var error))
        {
            return error;
        }

        if (await ScriptOfAsync(context, address) is not { } script)
        {
            return await MissingAsync(context, address);
        }

        return ScriptReplies.Ok(w =>
        {
            ScriptReplies.WriteScript(w, script);
            w.WriteString("source"u8, script.Source);
        });
    }

    public static async ValueTask<Reply> ListAsync(CommandContext context)
    {
        var scripts = await context.Services.Store.Scripts.ListAsync(context.Account.Id, context.Aborted);
        return ScriptReplies.Ok(w => ScriptReplies.WriteList(w, scripts));
    }

    public static async ValueTask<Reply> DeleteAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "address", out var address, out var error))
        {
            return error;
        }

        var result = await context.Services.Store.Scripts.DeleteAsync(address, context.Account.Id, context.Aborted);
        if (!result.Ok)
        {
            return StoreErrors.Fail(result);
        }

        Host(context).Forget(result.Value!.Address);
        Host(context).SchedulesChanged.Set();
        context.Services.Logger.LogInformation("{Account} deleted the script of {Address}", context.Account.Address, result.Value.Address);
        return ScriptReplies.Ok(w => ScriptReplies.WriteScript(w, result.Value));
    }

    public static async ValueTask<Reply> LogsAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "address", out var address, out var error)
            || !Fields.TryLong(context.Head, "since", out var since, out error, min: 0)
            || !Fields.TryLong(context.Head, "limit", out var limit, out error, min: 1, max: MaxRunsPerReply))
        {
            return error;
        }

        if (await OwnedAsync(context, address) is { } refused)
        {
            return refused;
        }

        var store = context.Services.Store.Scripts;
        var runs = since is { } from
            ? await store.ListRunsAsync(address, from, (int)(limit ?? 100), context.Aborted)
            : await store.LatestRunsAsync(address, (int)(limit ?? 20), context.Aborted);
        return ScriptReplies.Ok(w => ScriptReplies.WriteRuns(w, runs, since ?? 0));
    }

    public static async ValueTask<Reply> StateAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "address", out var address, out var error))
        {
            return error;
        }

        if (context.Head.TryGetProperty("set", out var set) && set.ValueKind != JsonValueKind.Null)
        {
            if (set.ValueKind != JsonValueKind.Object)
            {
                return Reply.Fail(ErrorCode.ScriptInvalidState, "The state (\"set\") must be a JSON object.");
            }

            var json = set.GetRawText();
            var max = Host(context).Options.MaxStateBytes;
            if (Encoding.UTF8.GetByteCount(json) > max)
            {
                return Reply.Fail(ErrorCode.ScriptTooLarge, $"The state has {Encoding.UTF8.GetByteCount(json):N0} bytes; scripts may keep at most {max:N0} (scripts.maxStateBytes).");
            }

            var result = await context.Services.Store.Scripts.SetStateAsync(address, context.Account.Id, json, context.Aborted);
            if (!result.Ok)
            {
                return StoreErrors.Fail(result);
            }

            context.Services.Logger.LogInformation("{Account} replaced the state of the script of {Address}", context.Account.Address, result.Value!.Address);
            return State(result.Value!);
        }

        return await ScriptOfAsync(context, address) is { } script ? State(script) : await MissingAsync(context, address);
    }

    public static async ValueTask<Reply> TestAsync(CommandContext context)
    {
        if (!Fields.TryString(context.Head, "address", out var address, out var error)
            || !Fields.TryString(context.Head, "sender", out var sender, out error, required: false)
            || !Fields.TryStrings(context.Head, "recipients", 1000, out var recipients, out error))
        {
            return error;
        }

        if (await ScriptOfAsync(context, address) is not { } script)
        {
            return await MissingAsync(context, address);
        }

        var host = Host(context);
        var compiled = host.Prepare(script);
        if (compiled.Script is not { } prepared)
        {
            return ScriptReplies.Syntax(compiled.Error ?? new ScriptError("syntax-error", "The script does not compile.", null, null));
        }

        ScriptMessage message;
        try
        {
            message = ScriptMessage.Read(context.Body.Span, sender, recipients.Count > 0 ? recipients : [script.Address]);
        }
        catch (FormatException ex)
        {
            return Reply.Fail(ErrorCode.MessageInvalid, $"The message cannot be read: {ex.Message}");
        }

        // A dry run: the same limits and pool as a real one, its effects shown and nothing committed.
        var now = DateTimeOffset.UtcNow;
        var run = new ScriptRunContext(script.Address, script.Owner, ScriptHost.DomainOf(script.Address), now, RandomNumberGenerator.GetInt32(int.MaxValue), script.State);
        var result = await host.RunAsync(() => host.Runner.RunMessage(prepared, message, run, host.Limits, context.Aborted), context.Aborted);
        return ScriptReplies.Ok(w =>
        {
            w.WriteString("outcome"u8, result.Outcome.ToKind());
            w.WriteBoolean("succeeded"u8, result.Succeeded);
            if (result.Error is { } failure)
            {
                w.WriteStartObject("error"u8);
                ScriptReplies.WriteError(w, failure);
                w.WriteString("message"u8, failure.Message);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("error"u8);
            }

            w.WritePropertyName("effects"u8);
            ScriptEffects.Write(w, result.Effects);
            ScriptReplies.Raw(w, "state", result.StateJson);
            w.WriteBoolean("stateChanged"u8, result.StateJson != script.State);
            w.WriteStartArray("log"u8);
            foreach (var line in result.Log)
            {
                w.WriteStringValue(line);
            }

            w.WriteEndArray();
            w.WriteNumber("statements"u8, result.Statements);
            w.WriteNumber("elapsedMicroseconds"u8, (long)result.Elapsed.TotalMicroseconds);
        });
    }

    private static Reply State(StoredScript script) => ScriptReplies.Ok(w =>
    {
        w.WriteString("address"u8, script.Address);
        w.WriteNumber("stateVersion"u8, script.StateVersion);
        ScriptReplies.Raw(w, "state", script.State);
    });

    private static ScriptHost Host(CommandContext context) =>
        context.Services.Scripts ?? throw new InvalidOperationException("The server runs without the script host.");

    private static Task<StoredScript?> ScriptOfAsync(CommandContext context, string address) =>
        context.Services.Store.Scripts.GetAsync(address, context.Account.Id, context.Aborted);

    /// <summary><c>script.not-allowed</c> unless the account owns the address.</summary>
    private static async Task<Reply?> OwnedAsync(CommandContext context, string address)
    {
        var allowed = await context.Services.Store.Scripts.FindAddressAsync(address, context.Aborted);
        return allowed is not null && allowed.OwnerId == context.Account.Id
            ? null
            : Reply.Fail(ErrorCode.ScriptNotAllowed, $"{address} is not an address of yours that may have a script.");
    }

    /// <summary>Why an owner's script was not found: not its address, or no script there.</summary>
    private static async Task<Reply> MissingAsync(CommandContext context, string address) =>
        await OwnedAsync(context, address) ?? Reply.Fail(ErrorCode.ScriptNotFound, $"{address} has no script.");
}
