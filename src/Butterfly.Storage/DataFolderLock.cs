using System.Diagnostics.CodeAnalysis;

namespace Butterfly.Storage;

/// <summary>
/// A data folder held by one process: the daemon for as long as it runs, or an operator command
/// that works on the store directly because no daemon runs. It is an advisory lock (flock, which
/// .NET takes for <see cref="FileShare.None"/>) on <see cref="FileName"/> in the folder. The kernel
/// drops it when the process ends, however it ends, so a crash leaves nothing to clean up; the file
/// itself stays (removing it would let two processes lock two different files of the same name).
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the data folder.</summary>
    public const string FileName = "butterfly.lock";

    // .NET reports a refused flock as an IOException whose HResult is the errno: EWOULDBLOCK.
    private const int WouldBlockLinux = 11;
    private const int WouldBlockBsd = 35;
    private const int SharingViolationWindows = 32;

    private readonly FileStream _file;

    private DataFolderLock(string folder, FileStream file)
    {
        Folder = folder;
        _file = file;
    }

    /// <summary>The data folder held.</summary>
    public string Folder { get; }

    /// <summary>The lock file of <paramref name="folder"/>.</summary>
    /// <param name="folder">A data folder.</param>
    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    /// <summary>
    /// Takes the folder (creating it, mode 0700, when missing) unless another process holds it; never waits.
    /// </summary>
    /// <param name="folder">The data folder.</param>
    /// <param name="held">The lock, to dispose when done; null when another process holds the folder.</param>
    /// <returns>False when another process holds the folder.</returns>
    /// <exception cref="UnauthorizedAccessException">This user may not write in the folder.</exception>
    public static bool TryAcquire(string folder, [NotNullWhen(true)] out DataFolderLock? held)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        DataFolderAccess.CreateFolder(folder);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = DataFolderAccess.PrivateFile;
            }

            var file = new FileStream(PathIn(folder), options);
            held = new DataFolderLock(folder, file);
            return true;
        }
        catch (IOException ex) when (HeldElsewhere(ex))
        {
            held = null;
            return false;
        }
    }

    /// <summary>Takes the folder (creating it when missing), or fails when another process holds it.</summary>
    /// <param name="folder">The data folder.</param>
    /// <exception cref="DataFolderInUseException">Another process holds the folder.</exception>
    /// <exception cref="UnauthorizedAccessException">This user may not write in the folder.</exception>
    public static DataFolderLock Acquire(string folder) =>
        TryAcquire(folder, out var held) ? held : throw new DataFolderInUseException(folder);

    /// <summary>Releases the folder.</summary>
    public void Dispose() => _file.Dispose();

    private static bool HeldElsewhere(IOException ex) =>
        ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        && (OperatingSystem.IsWindows()
            ? (ex.HResult & 0xFFFF) == SharingViolationWindows
            : ex.HResult == (OperatingSystem.IsLinux() ? WouldBlockLinux : WouldBlockBsd));
}
