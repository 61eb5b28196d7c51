using System.Globalization;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Control;

/// <summary><c>status</c> (control.md, "status"): what the daemon is doing, for <c>butterfly status</c>.</summary>
internal static class StatusCommand
{
    public static async ValueTask<Reply> HandleAsync(ControlRequest request)
    {
        var services = request.Services;
        if (services.Status is not { } status)
        {
            // DirectControl: no daemon runs, so there is nothing to report on (the CLI says so before asking).
            return Reply.Fail(ErrorCode.RequestInvalid, "status needs a running daemon; none holds this data folder.");
        }

        // Counts from the index, not a listing: status stays cheap with a long queue.
        var outbound = await services.Store.Queue.DepthAsync(QueueKind.Outbound, request.Aborted);
        var held = await services.Store.Queue.DepthAsync(QueueKind.Inbound, request.Aborted);
        var scripted = await services.Store.Queue.DepthAsync(QueueKind.Script, request.Aborted);
        DateTimeOffset?[] times = [outbound.Oldest, held.Oldest, scripted.Oldest];
        var oldest = times.Where(t => t is not null).Min() is { } first ? Timestamp(first) : null;
        var now = DateTimeOffset.UtcNow;
        return JsonReply.Ok(
            new StatusReply(
                ServerInfo.Version,
                Timestamp(status.Started),
                Math.Round((now - status.Started).TotalSeconds, 1),
                services.Options.ResolvedDataDirectory,
                status.Listeners,
                status.Sessions(),
                new StatusQueue((int)outbound.Count, (int)(held.Count + scripted.Count), oldest),
                Store(services.Store),
                status.LastErrors),
            ProtocolJson.Default.StatusReply);
    }

    private static StatusStore Store(IMailStore store)
    {
        if (store is MailStore local)
        {
            var database = local.Options.DatabasePath;
            return new StatusStore(SizeOf(database), SizeOf(database + "-wal"), local.Statistics.Commits, local.Description);
        }

        // PostgreSQL: the database's files are the server's; pg_database_size and pg_stat_database tell them.
        return new StatusStore(0, 0, 0, store.Description);
    }

    private static long SizeOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
}
