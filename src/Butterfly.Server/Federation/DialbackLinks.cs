using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Federation;

/// <summary>
/// The outbound connections dialback callbacks go over (protocol/peer.md, "Dialback"): at most one
/// per claimed domain at a time, shared by every peer.auth that names the domain (their peer.verify
/// requests travel on it side by side, by tag), and closed when the last of them is answered.
/// Connecting is bounded by the login deadline, since no peer.auth waits longer; and at most
/// <c>federation.maxConcurrentVerifications</c> callbacks run at once. So a flood of peer.auth
/// naming a domain whose server never answers opens one connection, not one per attempt.
/// </summary>
internal sealed class DialbackLinks
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Link> _links = new(StringComparer.OrdinalIgnoreCase);
    private readonly PeerConnector _connector;
    private readonly ILogger _logger;
    private readonly int _maxVerifying;
    private readonly TimeSpan _connectBound;
    private readonly long _reuseMs;
    private int _verifying;
    private long _opened;

    public DialbackLinks(ButterflyOptions options, PeerConnector connector, ILogger logger)
    {
        _connector = connector;
        _logger = logger;
        _maxVerifying = options.Federation.MaxConcurrentVerifications;
        _connectBound = TimeSpan.FromSeconds(options.Limits.LoginTimeoutSeconds);

        // The authoritative server closes a connection that never logs in after its own login
        // deadline; a link older than half of ours is not handed to a new callback.
        _reuseMs = (long)(options.Limits.LoginTimeoutSeconds * 500);
    }

    /// <summary>Outbound callback connections opened since start.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Callbacks running now.</summary>
    public int Verifying => Volatile.Read(ref _verifying);

    /// <summary>Asks the authoritative server of <paramref name="from"/> whether it made <paramref name="key"/>.</summary>
    /// <param name="from">The domain the peer claims.</param>
    /// <param name="to">The local domain it delivers to.</param>
    /// <param name="connectionId">The id of the connection the key is bound to.</param>
    /// <param name="key">The key.</param>
    /// <param name="ct">The caller's deadline.</param>
    /// <returns><see cref="ErrorCode.None"/> when confirmed; <see cref="ErrorCode.ServerBusy"/> when too many callbacks run;
    /// otherwise <see cref="ErrorCode.PeerAuthFailed"/>; with a reason for logs.</returns>
    public async Task<(ErrorCode Error, string Reason)> VerifyAsync(string from, string to, string connectionId, string key, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _verifying) > _maxVerifying)
        {
            Interlocked.Decrement(ref _verifying);
            return (ErrorCode.ServerBusy, $"{_maxVerifying} dialback callbacks are running already; try again later");
        }

        var link = Acquire(from);
        try
        {
            var connection = await link.Connected.Task.WaitAsync(ct);
            var reply = await connection.RequestAsync(
                JsonSerializer.SerializeToUtf8Bytes(new { cmd = "peer.verify", from, to, connection = connectionId, key }),
                ReadOnlyMemory<byte>.Empty,
                _connector.RequestTimeout,
                ct);
            if (!reply.Ok)
            {
                return (ErrorCode.PeerAuthFailed, $"the authoritative server for {from} answered {reply.Code}: {reply.Message}");
            }

            var valid = reply.Head.TryGetProperty("valid"u8, out var v) && v.ValueKind == JsonValueKind.True;
            return valid ? (ErrorCode.None, "valid") : (ErrorCode.PeerAuthFailed, $"the authoritative server for {from} did not confirm the key");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (ErrorCode.PeerAuthFailed, $"the authoritative server for {from} did not answer before the login deadline");
        }
        catch (PeerException ex)
        {
            return (ErrorCode.PeerAuthFailed, $"the authoritative server for {from} cannot be reached: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException)
        {
            return (ErrorCode.PeerAuthFailed, $"the callback to {from} failed: {ex.Message}");
        }
        finally
        {
            Release(from, link);
            Interlocked.Decrement(ref _verifying);
        }
    }

    private Link Acquire(string domain)
    {
        Link link;
        lock (_lock)
        {
            if (_links.TryGetValue(domain, out var known) && Reusable(known))
            {
                known.Users++;
                return known;
            }

            // A link that failed or aged stays with the callbacks using it; new ones get a fresh one.
            link = new Link(_connectBound);
            _links[domain] = link;
        }

        Interlocked.Increment(ref _opened);
        _ = ConnectAsync(domain, link);
        return link;
    }

    private bool Reusable(Link link)
    {
        var task = link.Connected.Task;
        if (!task.IsCompleted)
        {
            return true;
        }

        return task.IsCompletedSuccessfully && task.Result.IsOpen && Environment.TickCount64 - link.Created < _reuseMs;
    }

    private async Task ConnectAsync(string domain, Link link)
    {
        try
        {
            var (connection, _) = await _connector.ConnectAsync(domain, link.Stop.Token);
            if (!link.Connected.TrySetResult(connection))
            {
                await connection.DisposeAsync();
            }
        }
        catch (OperationCanceledException) when (link.Stop.IsCancellationRequested)
        {
            _logger.LogInformation("Dialback: gave up connecting to {Domain} (the login deadline passed, or no callback waits any more)", domain);
            link.Connected.TrySetException(new TimeoutException($"Connecting to the server of {domain} was given up."));
        }
        catch (Exception ex)
        {
            link.Connected.TrySetException(ex);
        }
    }

    private void Release(string domain, Link link)
    {
        lock (_lock)
        {
            if (--link.Users > 0)
            {
                return;
            }

            if (_links.TryGetValue(domain, out var current) && current == link)
            {
                _links.Remove(domain);
            }
        }

        // The last user is gone: stop connecting, or close the connection.
        link.Stop.Cancel();
        _ = CloseAsync(link);
    }

    private static async Task CloseAsync(Link link)
    {
        try
        {
            var connection = await link.Connected.Task;
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is PeerException or IOException or TimeoutException or OperationCanceledException)
        {
            // It never connected: nothing to close.
        }
        finally
        {
            link.Stop.Dispose();
        }
    }

    private sealed class Link(TimeSpan connectBound)
    {
        public TaskCompletionSource<PeerConnection> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Stop { get; } = new(connectBound);

        public long Created { get; } = Environment.TickCount64;

        public int Users { get; set; } = 1;
    }
}
