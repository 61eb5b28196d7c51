using System.Collections.Concurrent;
using System.Net.Sockets;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// The operator's control socket (protocol/control.md): <c>control.sock</c> in the data folder, mode
/// 0600, one <see cref="ControlSession"/> per connection. Bound, given its mode, and only then
/// listening, so no connection can arrive while the file still has the umask's mode.
/// </summary>
internal sealed class ControlListener : IHostedService, IDisposable
{
    private readonly string _path;
    private readonly OperatorServices _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ControlSession, Task> _sessions = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;

    public ControlListener(ButterflyOptions options, IMailStore store, DeliveryPipeline pipeline, ServerStatus status, ILoggerFactory loggers)
    {
        _path = ControlSocket.PathIn(options.ResolvedDataDirectory);
        _logger = loggers.CreateLogger("Butterfly.Control");
        _services = new OperatorServices(options, store, _logger, () =>
        {
            pipeline.OutboundQueued.Set();
            pipeline.HeldQueued.Set();
        })
        {
            Status = status,
        };
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The daemon holds the data folder (DataFolderLock), so a socket here was left by a daemon that
        // did not shut down cleanly: binding would fail on it. Anything else is not ours to delete.
        ControlSocket.Prepare(Path.GetDirectoryName(_path)!);
        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(_path);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new IOException($"The control socket path {_path} is too long for a UNIX socket; use a shorter dataDirectory.");
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(endpoint);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_path, ControlSocket.Mode);
            }

            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _accepting = AcceptAsync(listener);
        _logger.LogInformation("Control socket on {Path}", _path);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        await _accepting;
        TryDelete(_path);
        foreach (var session in _sessions.Keys)
        {
            session.Close(ErrorCode.ServerShuttingDown);
        }

        try
        {
            await Task.WhenAll(_sessions.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout: the process ends and the connections with it.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (_stopping.IsCancellationRequested && ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection that went away before it was accepted, or no file descriptors left.
                _logger.LogWarning("Accepting a control connection failed: {Error}", ex.SocketErrorCode);
                continue;
            }

            Serve(client);
        }
    }

    private void Serve(Socket client)
    {
        var refusal = ErrorCode.None;
        var peer = "peer unknown";
        if (PeerCredentials.TryRead(client, out var pid, out var uid))
        {
            peer = $"pid {pid}, uid {uid}";
            if (!PeerCredentials.MayOperate(uid))
            {
                // Only possible when the socket file's mode was widened by hand.
                _logger.LogWarning("Refused a control connection from {Peer}: only uid {Own} and root may operate this daemon", peer, PeerCredentials.OwnUid);
                refusal = ErrorCode.ControlDenied;
            }
        }

        var session = new ControlSession(client, _services, peer);
        _sessions[session] = RunAsync(session, refusal);
    }

    private async Task RunAsync(ControlSession session, ErrorCode refusal)
    {
        // Off the accept loop before anything runs.
        await Task.Yield();
        try
        {
            await session.RunAsync(refusal);
        }
        finally
        {
            _sessions.TryRemove(session, out _);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next start removes it.
        }
    }
}
