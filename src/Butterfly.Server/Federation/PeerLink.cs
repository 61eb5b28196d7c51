using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Federation;

/// <summary>
/// The one authenticated connection from a local domain to a peer domain, opened on first use,
/// shared by every delivery (they are pipelined), and replaced when it fails
/// (protocol/peer.md, "Connection reuse").
/// </summary>
internal sealed class PeerLink : IAsyncDisposable
{
    private readonly string _from;
    private readonly string _to;
    private readonly PeerConnector _connector;
    private readonly DialbackKeys _keys;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile PeerConnection? _current;
    private (string Connection, string Key)? _resume;

    public PeerLink(string from, string to, PeerConnector connector, DialbackKeys keys, ILogger logger)
    {
        _from = from;
        _to = to;
        _connector = connector;
        _keys = keys;
        _logger = logger;
    }

    /// <summary>The open connection, authenticated, opening one when there is none.</summary>
    /// <param name="ct">Stops connecting.</param>
    /// <returns>The connection, and whether it was open already (a reused one may have been closed by the peer meanwhile).</returns>
    /// <exception cref="PeerException">Connecting or authenticating failed.</exception>
    public async Task<(PeerConnection Connection, bool Reused)> GetAsync(CancellationToken ct)
    {
        if (_current is { IsOpen: true } open)
        {
            return (open, true);
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { IsOpen: true } raced)
            {
                return (raced, true);
            }

            if (_current is { } stale)
            {
                _current = null;
                await stale.DisposeAsync();
            }

            var connection = await OpenAsync(ct);
            _current = connection;
            return (connection, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes <paramref name="connection"/> if it is still the current one, so the next use reconnects.</summary>
    /// <param name="connection">The connection that failed.</param>
    public async Task DropAsync(PeerConnection connection)
    {
        if (Interlocked.CompareExchange(ref _current, null, connection) == connection)
        {
            await connection.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _current, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<PeerConnection> OpenAsync(CancellationToken ct)
    {
        var (connection, connectionId) = await _connector.ConnectAsync(_to, ct);
        try
        {
            // peer.md, "Caching": present the pair the receiver confirmed before, and fall back to a
            // fresh key (and a callback) when it is no longer remembered.
            if (_resume is { } earlier)
            {
                var resumed = await AuthAsync(connection, new { cmd = "peer.auth", from = _from, to = _to, resume = earlier.Connection, key = earlier.Key }, ct);
                if (resumed.Ok)
                {
                    _logger.LogDebug("Peer link {From} -> {To} resumed on {Peer}", _from, _to, connection.Description);
                    return connection;
                }

                _resume = null;
            }

            var key = _keys.Compute(_to, _from, connectionId);
            var reply = await AuthAsync(connection, new { cmd = "peer.auth", from = _from, to = _to, key }, ct);
            if (!reply.Ok)
            {
                // A receiver that does not serve the domain will not start to on a retry.
                throw new PeerException(
                    reply.Code == "peer.domain-unknown",
                    reply.Code,
                    $"{connection.Description} refused peer.auth as {_from}: {reply.Message}");
            }

            _resume = (connectionId, key);
            _logger.LogInformation("Peer link {From} -> {To} authenticated on {Peer}", _from, _to, connection.Description);
            return connection;
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new PeerException(false, "peer.unreachable", $"peer.auth on {connection.Description} failed: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private Task<PeerReply> AuthAsync(PeerConnection connection, object head, CancellationToken ct) =>
        connection.RequestAsync(JsonSerializer.SerializeToUtf8Bytes(head), ReadOnlyMemory<byte>.Empty, _connector.RequestTimeout, ct);
}
