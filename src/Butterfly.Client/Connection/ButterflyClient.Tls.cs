using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Butterfly.Protocol.Tls;

namespace Butterfly.Client;

/// <summary>TLS on the client's connection (protocol/client.md, "TLS").</summary>
public sealed partial class ButterflyClient
{
    /// <summary>Whether the connection speaks TLS.</summary>
    public bool IsEncrypted => _stream is SslStream;

    /// <summary>The certificate the server presented, or null on a plain connection.</summary>
    public X509Certificate? ServerCertificate => (_stream as SslStream)?.RemoteCertificate;

    /// <summary>Whether a connection to <paramref name="host"/> with <paramref name="options"/> speaks TLS.</summary>
    /// <param name="host">The host connected to.</param>
    /// <param name="options">The connection settings.</param>
    public static bool UsesTls(string host, ButterflyClientOptions options) => options.Tls switch
    {
        ButterflyTlsMode.Required => true,
        ButterflyTlsMode.Off => false,
        _ => !IsLoopback(host) || options.TrustedRoots is not null || options.Pins.Count > 0 || options.TlsServerName is not null,
    };

    /// <summary>Whether <paramref name="host"/> is <c>localhost</c> or a loopback address.</summary>
    /// <param name="host">A host name or IP address, without brackets.</param>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>Runs the TLS handshake over <paramref name="inner"/>; the stream is disposed when it fails.</summary>
    private static async Task<SslStream> StartTlsAsync(Stream inner, ButterflyEndpoint endpoint, ButterflyClientOptions options, CancellationToken ct)
    {
        var serverName = options.TlsServerName ?? endpoint.Host;
        var trust = options.TrustedRoots is null && options.Pins.Count == 0 ? TlsTrust.SystemRoots : new TlsTrust(options.TrustedRoots, options.Pins);
        (string Code, string Message)? refusal = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(trust.ClientOptions(serverName, (code, message) => refusal = (code, message)), ct);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw refusal is { } r
                ? new ButterflyConnectionException(r.Code, $"TLS with {endpoint}: {r.Message}", ex)
                : new ButterflyConnectionException("tls.handshake-failed", $"TLS with {endpoint} failed: {ex.Message} (does {endpoint} speak TLS? The daemon's TLS port is tls.listen.)", ex);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }
}
