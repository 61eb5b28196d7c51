using System.Security.Cryptography;
using Butterfly.Protocol.Contracts;
using Butterfly.Server.Wire;
using Butterfly.Storage.Backup;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// <c>backup.snapshot</c> (control.md, "backup.snapshot"): a consistent copy of the database, taken while the
/// daemon serves, written into the data folder (the one place a hardened unit lets the daemon write) for the
/// CLI to move into the backup. The CLI copies the folder's other files itself.
/// </summary>
internal static class BackupCommand
{
    public static async ValueTask<Reply> SnapshotAsync(ControlRequest request)
    {
        var services = request.Services;
        if (services.Store is not Butterfly.Storage.MailStore local)
        {
            return Reply.Fail(
                Butterfly.Protocol.Errors.ErrorCode.RequestInvalid,
                $"backup copies the SQLite database in the data folder; this daemon's store is {services.Store.Description}: back it up with pg_dump (README, \"Several daemons on PostgreSQL\").");
        }

        var folder = services.Options.ResolvedDataDirectory;
        RemoveStale(folder);
        var path = Path.Combine(folder, DatabaseSnapshot.StagingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".db");

        // Off the caller's thread: the copy reads the whole database.
        var version = await Task.Run(() => DatabaseSnapshot.Take(local.Options.DatabasePath, path), request.Aborted);
        var bytes = new FileInfo(path).Length;
        services.Logger.LogInformation("Operator took a database snapshot for a backup: {Path}, {Bytes} bytes, schema {Version}", path, bytes, version);
        return JsonReply.Ok(new BackupSnapshotReply(path, version, bytes), ProtocolJson.Default.BackupSnapshotReply);
    }

    private static void RemoveStale(string folder)
    {
        // Staging copies a day old are left by a backup that did not finish.
        foreach (var stale in Directory.EnumerateFiles(folder, DatabaseSnapshot.StagingPrefix + "*"))
        {
            if (File.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddDays(-1))
            {
                File.Delete(stale);
            }
        }
    }
}
