using Butterfly.Server.Configuration;

namespace Butterfly.Server.Filters;

/// <summary>The filter socket file (protocol/filter.md, "Transport").</summary>
internal static class FilterSocket
{
    /// <summary>Whether the daemon opens the filter socket: only when filters are configured.</summary>
    public static bool Enabled(ButterflyOptions options) => options.Filters.Count > 0;

    /// <summary>The socket path, with a stale socket file from an earlier run removed.</summary>
    public static string Prepare(ButterflyOptions options)
    {
        var path = options.FilterSocket.Resolve(options.ResolvedDataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            // A socket file left by a process that did not shut down cleanly: binding would fail on it.
            File.Delete(path);
        }

        return path;
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
