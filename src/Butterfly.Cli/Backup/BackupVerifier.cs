using Butterfly.Storage.Backup;

namespace Butterfly.Cli.Backup;

/// <summary>
/// Checks a backup folder: every file the manifest lists is there with its size and SHA-256, nothing else
/// is, and the database passes SQLite's <c>PRAGMA integrity_check</c> with a schema version this build knows.
/// </summary>
internal static class BackupVerifier
{
    /// <summary>What is wrong with the backup in <paramref name="folder"/>; empty when nothing is.</summary>
    /// <exception cref="Commands.CliFailure"><c>backup.invalid</c>: no manifest, or one that cannot be read.</exception>
    public static (BackupManifest Manifest, IReadOnlyList<string> Problems) Verify(string folder)
    {
        var manifest = BackupManifest.Read(folder);
        var problems = new List<string>();
        var listed = new HashSet<string>(StringComparer.Ordinal) { BackupManifest.FileName };
        foreach (var entry in manifest.Folders)
        {
            listed.Add(entry.Path);
            if (!Directory.Exists(BackupFiles.Inside(folder, entry.Path)))
            {
                problems.Add($"{entry.Path}/: missing");
            }
        }

        foreach (var entry in manifest.Files)
        {
            listed.Add(entry.Path);
            var path = BackupFiles.Inside(folder, entry.Path);
            if (!File.Exists(path))
            {
                problems.Add($"{entry.Path}: missing");
                continue;
            }

            var size = new FileInfo(path).Length;
            if (size != entry.Size)
            {
                problems.Add($"{entry.Path}: {size} bytes, the manifest says {entry.Size}");
            }
            else if (BackupFiles.Sha256(path) != entry.Sha256)
            {
                problems.Add($"{entry.Path}: its SHA-256 differs from the manifest's (the file changed or is damaged)");
            }
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!listed.Contains(relative))
            {
                problems.Add($"{relative}: not in the manifest");
            }
        }

        var database = Path.Combine(folder, BackupManifest.DatabaseName);
        if (!manifest.Files.Any(f => f.Path == BackupManifest.DatabaseName))
        {
            problems.Add($"{BackupManifest.DatabaseName}: the manifest does not list the database");
        }
        else if (File.Exists(database) && problems.Count == 0)
        {
            // Only a copy whose bytes are the ones hashed is worth opening; SQLite reads it read-only.
            var check = DatabaseSnapshot.Check(database);
            problems.AddRange(check.Problems.Select(p => $"{BackupManifest.DatabaseName}: {p}"));
            if (check.Ok && check.SchemaVersion != manifest.SchemaVersion)
            {
                problems.Add($"{BackupManifest.DatabaseName}: schema version {check.SchemaVersion}, the manifest says {manifest.SchemaVersion}");
            }
        }

        return (manifest, problems);
    }
}
