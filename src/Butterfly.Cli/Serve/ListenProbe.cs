using System.Net;
using System.Net.Sockets;
using Butterfly.Cli.Commands;

namespace Butterfly.Cli.Serve;

/// <summary>Tells whether the address <c>serve</c> is about to listen on is taken, and says so in one line.</summary>
internal static class ListenProbe
{
    /// <summary>Binds and releases <paramref name="endpoint"/> (port 0 always succeeds).</summary>
    /// <param name="key">The configuration key the address comes from, named in the error.</param>
    /// <param name="endpoint">The address.</param>
    /// <exception cref="CliFailure"><c>listen</c>: the address is in use or not available to this user.</exception>
    public static void ThrowIfInUse(string key, IPEndPoint endpoint)
    {
        if (endpoint.Port == 0)
        {
            return;
        }

        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            // As Kestrel listens on [::]: both families.
            socket.DualMode = true;
        }

        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw Failure(key, endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AccessDenied or SocketError.AddressNotAvailable)
        {
            throw new CliFailure("listen", $"{Named(key, endpoint)}: {ex.Message}");
        }
    }

    /// <summary>True when Kestrel's bind failure says the address is in use.</summary>
    public static bool InUse(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>error: listen: 127.0.0.1:7410 is already in use</c>; another key than <c>listen</c> is named.</summary>
    public static CliFailure Failure(string key, IPEndPoint endpoint) => new("listen", $"{Named(key, endpoint)} is already in use");

    private static string Named(string key, IPEndPoint endpoint) => key == "listen" ? endpoint.ToString() : $"{endpoint} ({key})";
}
