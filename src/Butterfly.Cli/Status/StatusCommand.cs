using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Butterfly.Storage;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Status;

/// <summary>
/// <c>butterfly status [--json]</c>: what the running daemon is doing (version, uptime, listeners, sessions by
/// kind, queue, store size, latest errors), through its control socket (protocol/control.md, "status").
/// </summary>
internal static class StatusCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var command = new Command(
            "status",
            "what the running daemon is doing: version, uptime, listeners, sessions, queue, store size and its latest errors (exit code 1 when no daemon runs)")
        {
            o.Json,
        };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => RunAsync(context, StoreAccess.Args(parse, o), parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, StoreArgs args, bool json)
    {
        var options = StoreAccess.LoadOptions(args);
        var folder = options.ResolvedDataDirectory;
        if (!Directory.Exists(folder) || NobodyHolds(folder))
        {
            throw new CliFailure("daemon.not-running", $"No daemon serves the data folder {folder}.");
        }

        await using var channel = await StoreAccess.OpenExistingAsync(args, options, context.CancellationToken);
        var reply = await channel.CallAsync(Names.Status, null, context.CancellationToken);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                foreach (var member in reply.EnumerateObject().Where(m => m.Name != "ok"))
                {
                    member.WriteTo(w);
                }

                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        foreach (var line in Lines(reply))
        {
            await context.Out.WriteLineAsync(line);
        }

        return ExitCodes.Ok;
    }

    private static bool NobodyHolds(string folder)
    {
        try
        {
            if (DataFolderLock.TryAcquire(folder, out var held))
            {
                held.Dispose();
                return true;
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Not this user's folder: the daemon's socket may still answer (root, or a widened mode).
        }

        return false;
    }

    private static IEnumerable<string> Lines(JsonElement reply)
    {
        var uptime = TimeSpan.FromSeconds(reply.GetProperty("uptimeSeconds").GetDouble());
        yield return $"butterfly {reply.GetProperty("version").GetString()}, up {Duration(uptime)} (since {Short(reply.GetProperty("started"))} UTC)";
        yield return $"data folder: {reply.GetProperty("dataDirectory").GetString()}";
        yield return "listening: " + string.Join(", ", reply.GetProperty("listeners").EnumerateArray()
            .Select(l => $"{l.GetProperty("name").GetString()} {l.GetProperty("address").GetString()}"));
        var sessions = reply.GetProperty("sessions");
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"sessions: {sessions.GetProperty("clients").GetInt32()} clients, {sessions.GetProperty("peers").GetInt32()} peers, {sessions.GetProperty("unauthenticated").GetInt32()} not logged in, {sessions.GetProperty("filters").GetInt32()} filters");
        var queue = reply.GetProperty("queue");
        var oldest = queue.GetProperty("oldest");
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"queue: {queue.GetProperty("outbound").GetInt32()} outbound, {queue.GetProperty("inbound").GetInt32()} held for filters{(oldest.ValueKind == JsonValueKind.String ? $" (oldest queued {Short(oldest)} UTC)" : string.Empty)}");
        var store = reply.GetProperty("store");
        var database = store.TryGetProperty("database", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString()! : string.Empty;
        yield return database.StartsWith("PostgreSQL", StringComparison.Ordinal)
            ? $"store: {database} (shared; its size is the PostgreSQL server's to tell)"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"store: database {Size(store.GetProperty("databaseBytes").GetInt64())}, WAL {Size(store.GetProperty("walBytes").GetInt64())}, {store.GetProperty("commits").GetInt64()} commits since start");
        var errors = reply.GetProperty("lastErrors");
        if (errors.GetArrayLength() == 0)
        {
            yield return "last errors: none";
            yield break;
        }

        yield return "last errors:";
        foreach (var error in errors.EnumerateArray())
        {
            yield return $"  {Short(error.GetProperty("time"))} {error.GetProperty("category").GetString()}: {error.GetProperty("message").GetString()}";
        }
    }

    private static string Short(JsonElement time) =>
        time.GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan time) => time.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalDays}d {time.Hours}h {time.Minutes}m")
        : time.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{time.Hours}h {time.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes}m {time.Seconds}s");

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
