using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Butterfly.Server.Tests.Tls;

/// <summary>A TLS server on loopback that presents a certificate and does nothing else: for tests of what a client accepts.</summary>
internal sealed class TlsHandshakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TlsHandshakeServer(X509Certificate2 certificate)
    {
        _listener.Start();
        _accepting = AcceptAsync(certificate);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync(X509Certificate2 certificate)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
                await using var ssl = new SslStream(tcp.GetStream());
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // The client refused the certificate, or the server is stopping.
            }
        }
    }
}
