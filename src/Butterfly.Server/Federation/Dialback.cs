using System.Collections.Concurrent;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Federation;

/// <summary>
/// The receiving side of dialback (protocol/peer.md, "Dialback"): confirms a key by asking the
/// server that discovery names for the claimed domain, and remembers confirmed keys for
/// <c>federation.verifyCacheSeconds</c> so that the same sender may resume on a new connection.
/// Also answers peer.verify for keys made by this server.
/// </summary>
internal sealed class Dialback
{
    private readonly ButterflyOptions _options;
    private readonly DialbackLinks _links;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string From, string To, string Connection), VerifiedKey> _verified = new();
    private long _callbacks;
    private long _resumed;

    public Dialback(ButterflyOptions options, DialbackKeys keys, PeerConnector connector, ILogger logger)
    {
        _options = options;
        Keys = keys;
        _links = new DialbackLinks(options, connector, logger);
        _logger = logger;
    }

    /// <summary>This server's keys.</summary>
    public DialbackKeys Keys { get; }

    /// <summary>The outbound connections callbacks go over.</summary>
    public DialbackLinks Links => _links;

    /// <summary>Callbacks made to authoritative servers since start.</summary>
    public long Callbacks => Interlocked.Read(ref _callbacks);

    /// <summary>Peer authentications resumed from the cache since start.</summary>
    public long Resumed => Interlocked.Read(ref _resumed);

    /// <summary>
    /// Decides a peer.auth: a fresh key is confirmed by a callback; a resumed one must match a key
    /// confirmed before, for the same domains and remote address, that has not expired.
    /// </summary>
    /// <param name="from">The domain the peer claims.</param>
    /// <param name="to">The local domain it delivers to.</param>
    /// <param name="connectionId">This connection's id (fresh key) or the earlier connection's (resume).</param>
    /// <param name="key">The key.</param>
    /// <param name="resume">Whether <paramref name="connectionId"/> names an earlier connection.</param>
    /// <param name="remoteAddress">The peer's IP address, which a resumed key must come from again.</param>
    /// <param name="ct">Stops the callback: the session's login deadline.</param>
    /// <returns><see cref="ErrorCode.None"/>, or why the peer is refused, with a reason for logs.</returns>
    public async Task<(ErrorCode Error, string Reason)> AuthenticateAsync(
        string from, string to, string connectionId, string key, bool resume, string remoteAddress, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var slot = (from, to, connectionId);
        if (resume)
        {
            // peer.md, "Caching": only a key a callback confirmed is ever here, so a wrong key cannot resume.
            if (_verified.TryGetValue(slot, out var known)
                && known.Expires > now
                && string.Equals(known.RemoteAddress, remoteAddress, StringComparison.Ordinal)
                && DialbackKeys.FixedTimeEquals(known.Key, key))
            {
                Interlocked.Increment(ref _resumed);
                _logger.LogInformation("Dialback: {From} -> {To} resumed from cache (connection {Connection})", from, to, connectionId);
                return (ErrorCode.None, "resumed");
            }

            return (ErrorCode.PeerAuthFailed, "No confirmed key to resume; authenticate with a fresh key.");
        }

        Interlocked.Increment(ref _callbacks);
        var (error, reason) = await _links.VerifyAsync(from, to, connectionId, key, ct);
        if (error != ErrorCode.None)
        {
            _logger.LogWarning("Dialback: {From} -> {To} refused: {Reason}", from, to, reason);
            return (error, reason);
        }

        var ttl = (long)(_options.Federation.VerifyCacheSeconds * 1000);
        if (ttl > 0)
        {
            Sweep(now);
            _verified[slot] = new VerifiedKey(key, remoteAddress, now + ttl);
        }

        _logger.LogInformation("Dialback: {From} -> {To} verified by callback (connection {Connection})", from, to, connectionId);
        return (ErrorCode.None, "verified");
    }

    /// <summary>Answers a peer.verify: whether this server made <paramref name="key"/> (peer.md, "peer.verify").</summary>
    /// <param name="from">The sending domain, which must be one of ours.</param>
    /// <param name="to">The receiving domain.</param>
    /// <param name="connectionId">The receiving server's connection id.</param>
    /// <param name="key">The key to check.</param>
    public bool Verify(string from, string to, string connectionId, string key) =>
        _options.IsLocalDomain(from) && Keys.IsValid(to, from, connectionId, key);

    private void Sweep(long now)
    {
        // Cheap bound on memory: expired entries go whenever a new one is added.
        if (_verified.Count < 1024)
        {
            return;
        }

        foreach (var (slot, entry) in _verified)
        {
            if (entry.Expires <= now)
            {
                _verified.TryRemove(slot, out _);
            }
        }
    }
}
