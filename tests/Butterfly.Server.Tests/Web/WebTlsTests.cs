using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Web;

/// <summary><c>web.tls</c>: the page and <c>wss://</c> with the <c>tls</c> section's certificate.</summary>
public sealed class WebTlsTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-web-tls");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WebTls_PageAndWebSocketOverTls_WithTheTlsCertificate()
    {
        using var certificate = TestCertificates.SelfSigned("localhost", "127.0.0.1");
        TestCertificates.WritePem(certificate, _directory.Combine("cert.pem"), _directory.Combine("key.pem"));
        var config = DaemonProcess.WriteConfig(_directory.Path, configure: c => c["web"] = new JsonObject { ["listen"] = "127.0.0.1:0", ["tls"] = true });
        await using var daemon = await DaemonProcess.StartAsync(config);

        var url = daemon.WebUrl!;
        Assert.Equal("https", url.Scheme);
        var pinned = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        bool Pinned(X509Certificate? presented) => presented is not null
            && string.Equals(new X509Certificate2(presented).GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => Pinned(presented) };
        using var http = new HttpClient(handler);
        using var page = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        WebStaticFileTests.AssertSecurityHeaders(page);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", $"https://127.0.0.1:{url.Port}");
        socket.Options.RemoteCertificateValidationCallback = (_, presented, _, _) => Pinned(presented);
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{url.Port}/ws"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(0, await daemon.StopAsync());
    }
}
