using System.Net.Sockets;

namespace Butterfly.Server.Wire;

/// <summary>
/// Makes way for a UNIX socket about to be bound: removes a stale socket file left by a daemon that did
/// not shut down cleanly, and nothing else. A socket something still listens on (another daemon) and a
/// file that is not a socket (a regular file, a folder) are left as they are, with a clear error.
/// </summary>
internal static class SocketFile
{
    // open(2) on a UNIX socket fails with ENXIO; on anything else it opens or fails otherwise.
    private const int NoSuchDeviceOrAddress = 6;

    /// <summary>Removes a stale socket at <paramref name="path"/>; refuses anything else found there.</summary>
    /// <param name="path">The socket's path.</param>
    /// <param name="what">What the socket is, for the error (<c>The filter socket</c>).</param>
    /// <param name="key">The configuration key or rule that chose the path, for the error.</param>
    /// <exception cref="IOException">Something other than a stale socket is at the path.</exception>
    public static void ClearStale(string path, string what, string key)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"{what} {path} is a folder; {key}. Move it away or choose another path.");
        }

        if (!File.Exists(path))
        {
            return;
        }

        if (!IsSocket(path))
        {
            throw new IOException($"{what} {path} exists and is not a socket; it was left as it is ({key}). Move the file away or choose another path.");
        }

        if (Answers(path))
        {
            throw new IOException($"{what} {path} is in use: another process (a daemon on another data folder?) listens on it, and it was left as it is ({key}). Stop that process or choose another path.");
        }

        // Nobody listens: the socket of a daemon that did not shut down cleanly; binding would fail on it.
        File.Delete(path);
    }

    private static bool IsSocket(string path)
    {
        try
        {
            using var opened = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return false;
        }
        catch (IOException ex) when (ex.HResult == NoSuchDeviceOrAddress)
        {
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Answers(string path)
    {
        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Too long a path for a socket: nobody can be listening on it (binding will say so).
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(endpoint);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            return false;
        }
    }
}
