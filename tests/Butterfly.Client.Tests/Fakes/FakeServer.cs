using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Butterfly.Client.Tests.Fakes;

/// <summary>
/// A tiny server on 127.0.0.1, port chosen by the OS, that answers <c>hello</c> and hands every
/// other request to the test's handler.
/// </summary>
public sealed class FakeServer : IAsyncDisposable
{
    public const string HelloReply =
        """{"ok":true,"version":1,"server":"fake/0.1","domains":["example.org"],"capabilities":["send","store"],"limits":{"maxFrameBytes":27262976,"maxMessageBytes":26214400,"maxRecipients":100,"maxInFlight":256}}""";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<FakeConnection, FakeRequest, Task> _handler;
    private readonly List<FakeConnection> _connections = [];
    private readonly Task _acceptLoop;
    private int _disposed;

    private readonly string _helloReply;
    private readonly X509Certificate2? _certificate;

    /// <param name="handler">Answers every request but hello.</param>
    /// <param name="helloReply">The hello reply.</param>
    /// <param name="certificate">When given, every connection speaks TLS with this certificate (and its key).</param>
    public FakeServer(Func<FakeConnection, FakeRequest, Task> handler, string helloReply = HelloReply, X509Certificate2? certificate = null)
    {
        _handler = handler;
        _helloReply = helloReply;
        _certificate = certificate;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    public Task<ButterflyClient> ConnectAsync(ButterflyClientOptions? options = null) =>
        ButterflyClient.ConnectAsync("127.0.0.1", Port, options);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        FakeConnection[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            Stream? stream = null;
            if (_certificate is not null)
            {
                var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
                try
                {
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The client refused the certificate, as a test may want it to.
                    await ssl.DisposeAsync();
                    tcp.Dispose();
                    continue;
                }

                stream = ssl;
            }

            var connection = new FakeConnection(tcp, stream);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            _ = connection.RunAsync(
                async (c, request) =>
                {
                    if (request.Command == "hello")
                    {
                        await c.SendAsync(request.Tag, _helloReply);
                        return;
                    }

                    await _handler(c, request);
                },
                _stop.Token);
        }
    }
}
