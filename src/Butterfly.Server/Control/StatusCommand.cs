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

        var queue = await services.Store.Queue.ListAsync(null, request.Aborted);
        var outbound = queue.Count(e => e.Kind == QueueKind.Outbound);
        var oldest = queue.Count == 0 ? null : Timestamp(queue.Min(e => e.Created));
        var now = DateTimeOffset.UtcNow;
        return JsonReply.Ok(
            new StatusReply(
                ServerInfo.Version,
                Timestamp(status.Started),
                Math.Round((now - status.Started).TotalSeconds, 1),
                services.Options.ResolvedDataDirectory,
                status.Listeners,
                status.Sessions(),
                new StatusQueue(outbound, queue.Count - outbound, oldest),
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
