using System.CommandLine;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Users;
using Butterfly.Server.Configuration;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Addresses;

/// <summary><c>butterfly quota set|show</c>: storage quotas, through the running daemon or on the data folder.</summary>
internal static class QuotaCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("quota", "storage quotas (through the running daemon, or on the data folder when none runs)")
    {
        Set(context, o),
        Show(context, o),
    };

    private static Command Set(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var size = new Argument<string>("SIZE")
        {
            Description = "bytes, or with K, M or G (e.g. 2G); 'none' for no quota; 'default' for quota.default of butterfly.json",
            Validators = { Values.NotBlank },
        };
        var command = new Command("set", "set an account's storage quota") { address, size, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => SetAsync(context, StoreAccess.Args(parse, o), parse.GetValue(address)!, parse.GetValue(size)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command Show(CommandContext context, CommonOptions o)
    {
        var address = Address();
        var command = new Command("show", "show an account's usage and quota") { address, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => ShowAsync(context, StoreAccess.Args(parse, o), parse.GetValue(address)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Argument<string> Address() => new("ADDRESS") { Description = "the account, local@domain", Validators = { Values.NotBlank } };

    private static async Task<int> SetAsync(CommandContext context, StoreArgs storeArgs, string address, string size, bool json)
    {
        Action<Utf8JsonWriter> quota = size.ToLowerInvariant() switch
        {
            "none" => w => w.WriteString("quota"u8, "none"),
            "default" => w => w.WriteNull("quota"u8),
            _ when ByteSize.TryParse(size, out var bytes) => w => w.WriteNumber("quota"u8, bytes),
            _ => throw new UsageException($"'{size}' is not a size: bytes, or a number with K, M or G (e.g. 500M, 2G), 'none' or 'default'."),
        };
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(Names.QuotaSet, w =>
        {
            w.WriteString("address"u8, address);
            quota(w);
        }, context.CancellationToken);
        return await PrintAsync(context, reply, json);
    }

    private static async Task<int> ShowAsync(CommandContext context, StoreArgs storeArgs, string address, bool json)
    {
        var options = StoreAccess.LoadOptions(storeArgs);
        await using var channel = await StoreAccess.OpenExistingAsync(storeArgs, options, context.CancellationToken);
        var reply = await channel.CallAsync(Names.QuotaShow, w => w.WriteString("address"u8, address), context.CancellationToken);
        return await PrintAsync(context, reply, json);
    }

    private static async Task<int> PrintAsync(CommandContext context, JsonElement reply, bool json)
    {
        if (json)
        {
            await OperatorReply.WriteAsync(context.Out, reply);
            return ExitCodes.Ok;
        }

        await context.Out.WriteLineAsync(Describe(
            reply.GetProperty("address").GetString()!,
            reply.GetProperty("usage").GetInt64(),
            reply.GetProperty("quota") is { ValueKind: JsonValueKind.Number } q ? q.GetInt64() : null,
            reply.GetProperty("setting").GetString()));
        return ExitCodes.Ok;
    }

    /// <summary><c>alice@example.org: 1.2 MiB of 2 GiB (0%, account)</c>.</summary>
    public static string Describe(string address, long usage, long? quota, string? setting)
    {
        var of = quota is { } limit
            ? $"{ByteSize.Format(usage)} of {ByteSize.Format(limit)} ({(limit == 0 ? 100 : usage * 100 / limit)}%)"
            : $"{ByteSize.Format(usage)}, no quota";
        return setting is null ? $"{address}: {of}" : $"{address}: {of}, {setting}";
    }
}
