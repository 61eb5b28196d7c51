using System.Security.Cryptography;
using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Backup;

/// <summary>File work the backup commands share: hashing, copying with a mode, paths kept inside a folder.</summary>
internal static class BackupFiles
{
    // open(2) on a UNIX socket fails with ENXIO: a socket in the data folder is not data.
    private const int NoSuchDeviceOrAddress = 6;

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Copies <paramref name="source"/> to the new file <paramref name="destination"/> with <paramref name="mode"/>,
    /// flushed to disk; returns its size and SHA-256, computed from the bytes written. Null when the source is a socket.
    /// </summary>
    public static (long Size, string Sha256)? Copy(string source, string destination, UnixFileMode mode)
    {
        FileStream input;
        try
        {
            input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        }
        catch (IOException ex) when (ex.HResult == NoSuchDeviceOrAddress)
        {
            return null;
        }

        using (input)
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16 };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = mode;
            }

            using var output = new FileStream(destination, create);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long size = 0;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                size += read;
            }

            output.Flush(flushToDisk: true);
            if (!OperatingSystem.IsWindows())
            {
                // The create mode went through the umask; the mode asked for is the one wanted.
                File.SetUnixFileMode(destination, mode);
            }

            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
    }

    /// <summary>The mode of a file or folder (0600 / 0700 where there are none).</summary>
    public static UnixFileMode ModeOf(string path, bool folder) =>
        OperatingSystem.IsWindows()
            ? (folder ? Butterfly.Storage.DataFolderAccess.PrivateFolder : Butterfly.Storage.DataFolderAccess.PrivateFile)
            : File.GetUnixFileMode(path);

    /// <summary>The full path of a manifest entry inside <paramref name="folder"/>, refusing one that would lead out of it.</summary>
    /// <exception cref="CliFailure"><c>backup.invalid</c>: an absolute path, or one with a <c>..</c> segment.</exception>
    public static string Inside(string folder, string relative)
    {
        var segments = relative.Split('/');
        if (relative.Length == 0 || Path.IsPathRooted(relative) || segments.Any(s => s is "" or "." or ".."))
        {
            throw new CliFailure("backup.invalid", $"The manifest names '{relative}', which is not a path inside the backup.");
        }

        return Path.Combine([folder, .. segments]);
    }

    /// <summary>Creates <paramref name="folder"/> (mode 0700) when missing; refuses one that holds anything.</summary>
    /// <exception cref="CliFailure"><paramref name="code"/>: the folder is not empty, or is a file.</exception>
    public static void CreateEmpty(string folder, string code, string what)
    {
        if (File.Exists(folder))
        {
            throw new CliFailure(code, $"{folder} is a file; {what} goes into a new or empty folder.");
        }

        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new CliFailure(code, $"{folder} is not empty; {what} goes into a new or empty folder, so that nothing in it is overwritten or mixed in.");
        }

        Butterfly.Storage.DataFolderAccess.CreateFolder(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, Butterfly.Storage.DataFolderAccess.PrivateFolder);
        }
    }
}
