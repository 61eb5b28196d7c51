using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>
/// A small SMTP server on 127.0.0.1 for the outbound tests: ESMTP with PIPELINING and, when asked, 8BITMIME and
/// SMTPUTF8; recipients whose local part starts with <c>unknown</c> get 550 5.1.1; each message's DATA handled as
/// <see cref="OnData"/> says (fail mid-DATA, 451, close after the dot...). Every message read to its final dot is
/// kept in <see cref="Messages"/>, replied to or not.
/// </summary>
internal sealed class ScriptedSmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<byte[]> _messages = [];
    private readonly List<string> _commands = [];
    private int _dataCount;
    private int _connections;

    public ScriptedSmtpReceiver(bool eightBitMime = true, bool smtpUtf8 = true)
    {
        EightBitMime = eightBitMime;
        SmtpUtf8 = smtpUtf8;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Whether EHLO offers 8BITMIME.</summary>
    public bool EightBitMime { get; }

    /// <summary>Whether EHLO offers SMTPUTF8.</summary>
    public bool SmtpUtf8 { get; }

    /// <summary>host:port, for <c>smtp.routes</c>.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>What to do with the n-th DATA (0 first), counted over all connections.</summary>
    public Func<int, DataAction> OnData { get; set; } = _ => DataAction.Accept;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The messages read to their final dot, in order (dot-stuffing undone, CRLF line ends).</summary>
    public IReadOnlyList<byte[]> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every command line received, in order.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands)
            {
                return [.. _commands];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                sessions.Add(ServeAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(sessions).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new LineReader(stream);
        try
        {
            await WriteAsync(stream, "220 scripted.test ESMTP\r\n");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                lock (_commands)
                {
                    _commands.Add(line);
                }

                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        var extensions = new List<string> { "scripted.test", "PIPELINING", "ENHANCEDSTATUSCODES", "SIZE 10240000" };
                        if (EightBitMime)
                        {
                            extensions.Add("8BITMIME");
                        }

                        if (SmtpUtf8)
                        {
                            extensions.Add("SMTPUTF8");
                        }

                        await WriteAsync(stream, string.Concat(extensions.Select((e, i) => $"250{(i == extensions.Count - 1 ? ' ' : '-')}{e}\r\n")));
                        break;
                    case "RCPT":
                        await WriteAsync(stream, line.Contains("<unknown", StringComparison.OrdinalIgnoreCase) ? "550 5.1.1 No such user here\r\n" : "250 2.1.5 OK\r\n");
                        break;
                    case "DATA":
                        var action = OnData(Interlocked.Increment(ref _dataCount) - 1);
                        await WriteAsync(stream, "354 Go ahead\r\n");
                        if (action == DataAction.CloseMidData)
                        {
                            await reader.ReadLineAsync(_stop.Token);
                            return;
                        }

                        var message = await reader.ReadDataAsync(_stop.Token);
                        if (message is null)
                        {
                            return;
                        }

                        lock (_messages)
                        {
                            _messages.Add(message);
                        }

                        switch (action)
                        {
                            case DataAction.CloseAfterDot:
                                return;
                            case DataAction.TempFail:
                                await WriteAsync(stream, "451 4.3.0 Try again later\r\n");
                                break;
                            case DataAction.Reject:
                                await WriteAsync(stream, "554 5.7.1 Refused by the script\r\n");
                                break;
                            default:
                                await WriteAsync(stream, "250 2.0.0 Queued\r\n");
                                break;
                        }

                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye\r\n");
                        return;
                    case "HELO" or "MAIL" or "RSET" or "NOOP":
                        await WriteAsync(stream, "250 2.0.0 OK\r\n");
                        break;
                    default:
                        await WriteAsync(stream, "502 5.5.2 Not implemented\r\n");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the receiver is stopping.
        }
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

    /// <summary>Reads CRLF-ended lines from the stream, and a message up to its final dot.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[65536];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = await ReadRawLineAsync(ct);
            return line is null ? null : Encoding.UTF8.GetString(line);
        }

        public async Task<byte[]?> ReadDataAsync(CancellationToken ct)
        {
            using var message = new MemoryStream();
            while (await ReadRawLineAsync(ct) is { } line)
            {
                if (line is [(byte)'.'])
                {
                    return message.ToArray();
                }

                // RFC 5321 §4.5.2: a leading dot was doubled by the sender.
                var start = line.Length > 0 && line[0] == '.' ? 1 : 0;
                message.Write(line, start, line.Length - start);
                message.Write("\r\n"u8);
            }

            return null;
        }

        private async Task<byte[]?> ReadRawLineAsync(CancellationToken ct)
        {
            using var line = new MemoryStream();
            while (true)
            {
                for (var i = _start; i < _end; i++)
                {
                    if (_buffer[i] == '\n')
                    {
                        line.Write(_buffer, _start, i - _start);
                        _start = i + 1;
                        var bytes = line.ToArray();
                        return bytes.Length > 0 && bytes[^1] == '\r' ? bytes[..^1] : bytes;
                    }
                }

                line.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                var read = await stream.ReadAsync(_buffer, ct);
                if (read == 0)
                {
                    return null;
                }

                _end = read;
            }
        }
    }
}
