using System.Net.Security;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using Butterfly.Protocol.Tls;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Federation;

/// <summary>
/// Opens connections to peer servers: discovery, TCP, TLS when configured, and the hello exchange
/// that yields the connection id (protocol/peer.md, "Connecting").
/// </summary>
internal sealed class PeerConnector
{
    private readonly ButterflyOptions _options;
    private readonly PeerLocator _locator;
    private readonly IDnsResolver? _dns;
    private readonly ILogger _logger;
    private readonly TlsTrust _trust;

    /// <summary>Creates the connector.</summary>
    /// <exception cref="ConfigurationException"><c>federation.caFile</c> cannot be loaded.</exception>
    public PeerConnector(ButterflyOptions options, PeerLocator locator, IDnsResolver? dns, ILogger logger)
    {
        _options = options;
        _locator = locator;
        _dns = dns;
        _logger = logger;
        var roots = options.Federation.LoadTrustedRoots(options.ConfigDirectory);
        _trust = roots is null ? TlsTrust.SystemRoots : new TlsTrust(roots, []);
    }

    /// <summary>How long to wait for one answer.</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(_options.Federation.RequestTimeoutSeconds);

    /// <summary>Connects to the server of <paramref name="domain"/>, trying each discovered endpoint in turn.</summary>
    /// <param name="domain">The peer domain.</param>
    /// <param name="ct">Stops connecting.</param>
    /// <returns>The open connection and the connection id from the peer's hello reply.</returns>
    /// <exception cref="PeerException">No endpoint could be reached (temporary) or discovery said there is none (permanent).</exception>
    public async Task<(PeerConnection Connection, string ConnectionId)> ConnectAsync(string domain, CancellationToken ct)
    {
        var endpoints = await _locator.LocateAsync(domain, ct);
        PeerException? last = null;
        foreach (var endpoint in endpoints)
        {
            // peer.md, "TLS": once a TLS endpoint's certificate was refused, no plain endpoint is tried.
            if (last is { CertificateRefused: true } && !endpoint.Tls)
            {
                break;
            }

            try
            {
                return await ConnectAsync(endpoint, ct);
            }
            catch (PeerException ex) when (!ex.Permanent)
            {
                _logger.LogInformation("Peer {Domain} at {EndPoint}: {Problem}", domain, endpoint, ex.Message);
                last = last is { CertificateRefused: true } ? last : ex;
            }
        }

        throw last ?? new PeerException(false, "peer.unreachable", $"No server found for {domain}.");
    }

    private async Task<(PeerConnection, string)> ConnectAsync(PeerEndpoint endpoint, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.Federation.ConnectTimeoutSeconds));
        Stream stream;
        string? refused = null;
        try
        {
            var addresses = await ResolveAsync(endpoint.Host, timeout.Token);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, endpoint.Port, timeout.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            stream = new NetworkStream(socket, ownsSocket: true);
            if (endpoint.Tls)
            {
                stream = await StartTlsAsync(stream, endpoint, (_, message) => refused = message, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PeerException(false, "peer.unreachable", $"Connecting to {endpoint} timed out after {_options.Federation.ConnectTimeoutSeconds:0.#} s.");
        }
        catch (Exception ex) when (refused is not null && ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new PeerException(false, "peer.unreachable", $"TLS with {endpoint}: {refused}", ex) { CertificateRefused = true };
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException or DnsException)
        {
            throw new PeerException(false, "peer.unreachable", $"Cannot connect to {endpoint}: {ex.Message}", ex);
        }

        var connection = new PeerConnection(stream, $"{endpoint.Domain} at {endpoint.Host}:{endpoint.Port}", _options.Limits.MaxFrameBytes);
        try
        {
            var hello = await connection.RequestAsync(
                JsonSerializer.SerializeToUtf8Bytes(new { cmd = "hello", version = Protocol.Contracts.ProtocolVersion.Current, client = ServerInfo.Product(_options) }),
                ReadOnlyMemory<byte>.Empty,
                RequestTimeout,
                ct);
            var id = hello.GetString("connection");
            if (!hello.Ok || string.IsNullOrEmpty(id))
            {
                throw new PeerException(false, hello.Ok ? "peer.auth-failed" : hello.Code, $"{endpoint} did not offer a connection id in its hello reply{(hello.Ok ? string.Empty : ": " + hello.Message)}.");
            }

            return (connection, id);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new PeerException(false, "peer.unreachable", $"Hello to {endpoint} failed: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        if (_dns is null)
        {
            throw new DnsException($"Cannot resolve {host}: DNS is not available.");
        }

        var addresses = await _dns.ResolveAddressesAsync(host, ct);
        if (addresses.Count == 0)
        {
            throw new DnsException($"{host} has no address.");
        }

        return [.. addresses];
    }

    // peer.md, "TLS": a pinned certificate is accepted by its SHA-256 alone; otherwise the chain
    // must lead to a trusted root (federation.caFile, or the system's) and the certificate must
    // name the peer domain (or the configured serverName).
    private async Task<Stream> StartTlsAsync(Stream inner, PeerEndpoint endpoint, Action<string, string> refused, CancellationToken ct)
    {
        var trust = endpoint.Pin is { } pin ? new TlsTrust(null, [pin]) : _trust;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(trust.ClientOptions(endpoint.ServerName, refused), ct);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        return ssl;
    }
}
