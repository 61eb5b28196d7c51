using Butterfly.Cli.Commands;
using Butterfly.Storage;

namespace Butterfly.Cli.Backup;

/// <summary>
/// Restores a verified backup into a new or empty data folder: folders 0700, files 0600 (what the daemon
/// expects of its data folder, whatever the modes were), the database under the store's name.
/// </summary>
internal static class BackupRestorer
{
    public static BackupManifest Restore(string backup, string data)
    {
        var (manifest, problems) = BackupVerifier.Verify(backup);
        if (problems.Count > 0)
        {
            throw new CliFailure("backup.invalid", $"{backup} does not pass backup verify, nothing was restored: {string.Join("; ", problems)}.");
        }

        var target = Path.GetFullPath(data);
        BackupFiles.CreateEmpty(target, "restore.not-empty", "a restore");
        foreach (var folder in manifest.Folders)
        {
            var path = BackupFiles.Inside(target, folder.Path);
            Directory.CreateDirectory(path);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, DataFolderAccess.PrivateFolder);
            }
        }

        foreach (var file in manifest.Files)
        {
            var copied = BackupFiles.Copy(BackupFiles.Inside(backup, file.Path), BackupFiles.Inside(target, file.Path), DataFolderAccess.PrivateFile);
            if (copied?.Sha256 != file.Sha256)
            {
                // Changed between the check and the copy: the restored folder is not the backup.
                throw new CliFailure("backup.invalid", $"{file.Path} changed while it was restored; {target} is incomplete, remove it and try again.");
            }
        }

        return manifest;
    }
}
