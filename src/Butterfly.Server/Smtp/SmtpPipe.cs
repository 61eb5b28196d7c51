using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace Butterfly.Server.Smtp;

/// <summary>
/// One SMTP connection as the SmtpServer library sees it: the socket's stream (under TLS after
/// STARTTLS) behind the <see cref="SmtpGuardStream"/>, which stays the same across the upgrade so
/// that its limits hold in the clear and under TLS alike.
/// </summary>
internal sealed class SmtpPipe : ISecurableDuplexPipe
{
    private readonly TcpClient _client;
    private readonly NetworkStream _network;
    private readonly Action _closed;
    private SslStream? _tls;
    private bool _disposed;

    public SmtpPipe(TcpClient client, SmtpGuardStream guard, Action closed)
    {
        _client = client;
        _network = client.GetStream();
        _closed = closed;
        Guard = guard;
        Input = PipeReader.Create(guard);
        Output = PipeWriter.Create(guard);
    }

    /// <summary>The guard between the socket and the library.</summary>
    public SmtpGuardStream Guard { get; }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => _tls is not null;

    public SslProtocols SslProtocol => _tls?.SslProtocol ?? SslProtocols.None;

    /// <summary>The negotiated cipher suite, for the trace field; null in the clear.</summary>
    public TlsCipherSuite? CipherSuite => _tls?.NegotiatedCipherSuite;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        var tls = new SslStream(_network, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        _tls = tls;
        Guard.Upgrade(tls);
        Input = PipeReader.Create(Guard);
        Output = PipeWriter.Create(Guard);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Guard.Dispose();
        _tls?.Dispose();
        _client.Dispose();
        _closed();
    }
}
