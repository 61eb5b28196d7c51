using Butterfly.Cli.Commands;
using Butterfly.Cli.Users;
using Butterfly.Protocol;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Storage;
using Butterfly.Storage.Backup;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Backup;

/// <summary>
/// Takes a backup of a data folder into a new folder: the database through <c>backup.snapshot</c> (by the
/// daemon that holds the folder, or in this process when none does: <see cref="Operator.OperatorChannel"/>),
/// then every other regular file of the data folder (keys, secrets, scripts, whatever is there) with its mode,
/// then the manifest, written last so that a backup cut short has none and fails <c>backup verify</c>.
/// </summary>
internal static class BackupTaker
{
    // The data folder's own working files: the database is copied through SQLite, the rest is not data.
    private static readonly string[] NotCopied = ["-wal", "-shm", "-journal"];

    public static async Task<BackupManifest> TakeAsync(StoreArgs args, ButterflyOptions options, string output, CancellationToken ct)
    {
        if (options.Store.IsPostgres)
        {
            // Nothing is made: the mail is in the PostgreSQL database, which its own tools back up consistently.
            throw new CliFailure(
                "backup.postgres",
                "store.kind is \"postgres\": the mail is in the PostgreSQL database, not in the data folder. Back it up with pg_dump (README, \"Several daemons on PostgreSQL\").");
        }

        var data = options.ResolvedDataDirectory;
        var outFull = Path.GetFullPath(output);
        if (IsWithin(outFull, data))
        {
            throw new CliFailure("backup.inside-data", $"{outFull} is inside the data folder {data}; put the backup somewhere else.");
        }

        BackupFiles.CreateEmpty(outFull, "backup.exists", "a backup");
        var databaseName = options.ToStoreOptions().DatabaseFileName;
        var files = new List<BackupEntry>();
        int schema;
        await using (var channel = await StoreAccess.OpenExistingAsync(args, options, ct))
        {
            var reply = await channel.CallAsync(Names.BackupSnapshot, null, ct);
            var staged = reply.GetProperty("path").GetString()!;
            schema = reply.GetProperty("schemaVersion").GetInt32();
            var target = Path.Combine(outFull, BackupManifest.DatabaseName);

            // A rename when the backup is on the data folder's file system; a copy otherwise.
            File.Move(staged, target);
            files.Add(new BackupEntry(BackupManifest.DatabaseName, DataFolderAccess.PrivateFile, new FileInfo(target).Length, BackupFiles.Sha256(target)));
        }

        var folders = new List<BackupEntry>();
        CopyTree(data, outFull, string.Empty, databaseName, folders, files);
        var manifest = new BackupManifest(DateTimeOffset.UtcNow, ButterflyVersion.Current, data, schema, folders, files);
        manifest.Write(outFull);
        return manifest;
    }

    private static void CopyTree(string data, string output, string relative, string databaseName, List<BackupEntry> folders, List<BackupEntry> files)
    {
        var here = relative.Length == 0 ? data : Path.Combine(data, relative);
        foreach (var path in Directory.EnumerateFiles(here).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (relative.Length == 0 && Skipped(name, databaseName))
            {
                continue;
            }

            if (new FileInfo(path).LinkTarget is not null)
            {
                // A link may lead out of the folder; what it points to is not this folder's to copy.
                continue;
            }

            var entry = Join(relative, name);
            var mode = BackupFiles.ModeOf(path, folder: false);
            if (BackupFiles.Copy(path, Path.Combine(output, entry), mode) is { } copied)
            {
                files.Add(new BackupEntry(entry, mode, copied.Size, copied.Sha256));
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(here).Order(StringComparer.Ordinal))
        {
            if (new DirectoryInfo(folder).LinkTarget is not null)
            {
                continue;
            }

            var entry = Join(relative, Path.GetFileName(folder));
            var mode = BackupFiles.ModeOf(folder, folder: true);
            Directory.CreateDirectory(Path.Combine(output, entry));
            folders.Add(new BackupEntry(entry, mode, 0, null));
            CopyTree(data, output, entry, databaseName, folders, files);
        }
    }

    private static bool Skipped(string name, string databaseName) =>
        name == databaseName
        || (name.StartsWith(databaseName, StringComparison.Ordinal) && NotCopied.Contains(name[databaseName.Length..]))
        || name == DataFolderLock.FileName
        || name == "butterfly.reserve" // the store's room for deletes on a full disk: made again at start
        || name == ControlSocket.FileName
        || name.StartsWith(DatabaseSnapshot.StagingPrefix, StringComparison.Ordinal);

    private static string Join(string relative, string name) => relative.Length == 0 ? name : relative + "/" + name;

    private static bool IsWithin(string path, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return (Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal);
    }
}
