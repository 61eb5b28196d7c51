using Butterfly.Server.Wire;

namespace Butterfly.Server.Control;

/// <summary>Where the operator's control socket lives (protocol/control.md, "Transport").</summary>
public static class ControlSocket
{
    /// <summary>The socket's file name inside the data folder.</summary>
    public const string FileName = "control.sock";

    /// <summary>The control socket of <paramref name="dataFolder"/>.</summary>
    /// <param name="dataFolder">A data folder.</param>
    public static string PathIn(string dataFolder) => Path.Combine(dataFolder, FileName);

    /// <summary>
    /// The control socket of <paramref name="dataFolder"/>, with a stale socket from a daemon that did not
    /// shut down cleanly removed. Anything else found there (a regular file) is left and stops the start.
    /// Call it while holding the folder's <see cref="Butterfly.Storage.DataFolderLock"/>.
    /// </summary>
    /// <param name="dataFolder">A data folder.</param>
    /// <exception cref="IOException">Something other than a stale socket is at the path.</exception>
    internal static string Prepare(string dataFolder)
    {
        var path = PathIn(dataFolder);
        SocketFile.ClearStale(path, "The control socket", "it is control.sock in the data folder");
        return path;
    }

    /// <summary>The mode of the socket file: the daemon's user only (control.md, "Who may connect").</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The largest request frame the daemon accepts: operator requests are small.</summary>
    public const int MaxRequestFrameBytes = 64 * 1024;
}
