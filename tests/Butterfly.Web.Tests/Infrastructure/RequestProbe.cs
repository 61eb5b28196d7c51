using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>
/// A tiny HTTP server on 127.0.0.1:0 that stands for "somewhere on the internet": it records the
/// request line of every request that reaches it and answers each with a 1×1 PNG, or with a page
/// given to <see cref="Serve"/>. A hostile mail
/// that phones home, runs script or submits a form shows up here.
/// </summary>
public sealed class RequestProbe : IAsyncDisposable
{
    // The smallest valid PNG: one transparent pixel.
    private static readonly byte[] _pixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly Dictionary<string, string> _pages = [];
    private readonly Task _accepting;

    public RequestProbe()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Origin => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The request lines received so far ("GET /x HTTP/1.1"), in arrival order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Answers GET <paramref name="path"/> with this HTML from now on.</summary>
    public void Serve(string path, string html)
    {
        lock (_pages)
        {
            _pages[path] = html;
        }
    }

    /// <summary>An absolute URL on the probe.</summary>
    public string Url(string path) => Origin + path;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    head.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }

                var requestLine = head.ToString().Split("\r\n")[0];
                if (requestLine.Length == 0)
                {
                    return;
                }

                lock (_requests)
                {
                    _requests.Add(requestLine);
                }

                var path = requestLine.Split(' ') is [_, var target, ..] ? target : string.Empty;
                string? page;
                lock (_pages)
                {
                    page = _pages.GetValueOrDefault(path);
                }

                var (type, body) = page is null ? ("image/png", _pixel) : ("text/html; charset=utf-8", Encoding.UTF8.GetBytes(page));
                var reply = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(reply, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The browser gave up on the request, or the probe is stopping: it was counted already.
            }
        }
    }
}
