using System.Globalization;

namespace Butterfly.Storage;

/// <summary>
/// Who may read the data folder: its owner only, whatever the umask. The folder is 0700 and every
/// file in it 0600 (the database, its -wal and -shm, the lock, the dialback secret, the reserve).
/// New files are created with these modes; SQLite gives -wal and -shm the database file's mode.
/// Folders and files made under an older build are tightened by <see cref="Tighten"/>.
/// </summary>
public static class DataFolderAccess
{
    /// <summary>The data folder's mode: 0700.</summary>
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of every file in the data folder: 0600.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers = (UnixFileMode)0x3F;

    /// <summary>Creates <paramref name="folder"/> (and missing parents) with mode 0700 when it is missing.</summary>
    /// <param name="folder">The data folder.</param>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, PrivateFolder);
        }
    }

    /// <summary>
    /// Takes every permission of the group and of others away from <paramref name="folder"/>, its
    /// files and subfolders, except the folder's search bits in <paramref name="allowSearch"/> (a filter socket inside the folder
    /// that its group may use needs the group's search bit on the folder).
    /// </summary>
    /// <param name="folder">The data folder.</param>
    /// <param name="allowSearch">Search (execute) bits of the group or of others to keep on the folder itself.</param>
    /// <returns>One line per change made, such as <c>butterfly.db 0644 → 0600</c>; empty when nothing was changed.</returns>
    public static IReadOnlyList<string> Tighten(string folder, UnixFileMode allowSearch = UnixFileMode.None)
    {
        var changes = new List<string>();
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return changes;
        }

        var keep = allowSearch & (UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Restrict(folder, Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), keep, changes);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            // A symbolic link's own mode means nothing, and what it points to may be anyone's.
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            Restrict(entry.FullName, Path.GetRelativePath(folder, entry.FullName), UnixFileMode.None, changes);
        }

        return changes;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Restrict(string path, string shown, UnixFileMode keep, List<string> changes)
    {
        var mode = File.GetUnixFileMode(path);
        var wanted = (mode & ~GroupAndOthers) | (mode & keep);
        if (wanted != mode)
        {
            File.SetUnixFileMode(path, wanted);
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"{shown} {Octal(mode)} → {Octal(wanted)}"));
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
