using Butterfly.Server.Configuration;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Filters;

/// <summary>The filter socket file (protocol/filter.md, "Transport").</summary>
internal static class FilterSocket
{
    /// <summary>Whether the daemon opens the filter socket: only when filters are configured.</summary>
    public static bool Enabled(ButterflyOptions options) => options.Filters.Count > 0;

    /// <summary>
    /// The socket path, with a stale socket file from an earlier run removed. Anything else there (a
    /// socket another daemon listens on, a regular file) is left alone and stops the start.
    /// </summary>
    /// <exception cref="IOException">The path holds something other than a stale socket.</exception>
    public static string Prepare(ButterflyOptions options)
    {
        var path = options.FilterSocket.Resolve(options.ResolvedDataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SocketFile.ClearStale(path, "The filter socket", "filterSocket.path");
        return path;
    }

    /// <summary>
    /// The search bits the data folder must keep for the filter socket's group or others to reach it,
    /// when the socket lives in the data folder and its mode lets them connect; none otherwise.
    /// </summary>
    public static UnixFileMode DataFolderSearch(ButterflyOptions options)
    {
        if (!Enabled(options) || options.FilterSocket.ParseMode() is not { } mode)
        {
            return UnixFileMode.None;
        }

        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ResolvedDataDirectory));
        if (Path.GetDirectoryName(options.FilterSocket.Resolve(options.ResolvedDataDirectory)) != folder)
        {
            return UnixFileMode.None;
        }

        var search = UnixFileMode.None;
        if ((mode & UnixFileMode.GroupWrite) != 0)
        {
            search |= UnixFileMode.GroupExecute;
        }

        if ((mode & UnixFileMode.OtherWrite) != 0)
        {
            search |= UnixFileMode.OtherExecute;
        }

        return search;
    }

    /// <summary>Sets the configured mode on the socket file, right after it is bound.</summary>
    public static void Secure(ButterflyOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = options.FilterSocket.Resolve(options.ResolvedDataDirectory);
        File.SetUnixFileMode(path, options.FilterSocket.ParseMode()!.Value);
    }
}
