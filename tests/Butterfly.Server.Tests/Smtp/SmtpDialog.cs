using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>
/// A raw SMTP client for the tests: writes exactly the bytes it is given (bare LF, NUL, long
/// lines, pipelined commands) and reads replies whole (every line of a multi-line reply).
/// </summary>
internal sealed class SmtpDialog : IAsyncDisposable
{
    private readonly TcpClient _client;
    private Stream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private SmtpDialog(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>The greeting the server sent.</summary>
    public SmtpReply Greeting { get; private set; } = new(0, []);

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<SmtpDialog> ConnectAsync(string host, int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(host, port);
        var dialog = new SmtpDialog(client);
        dialog.Greeting = await dialog.ReadReplyAsync();
        return dialog;
    }

    /// <summary>Sends <paramref name="line"/> with CRLF and reads the reply.</summary>
    public async Task<SmtpReply> CommandAsync(string line)
    {
        await WriteAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8, as it is.</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> as they are.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Turns on TLS after a <c>220</c> to STARTTLS (any certificate is taken: the tests' own).</summary>
    public async Task StartTlsAsync(string host)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(host);
        _stream = tls;
    }

    /// <summary>EHLO, MAIL, RCPT for each recipient, DATA with <paramref name="message"/> (dot-stuffed here), one command at a time; returns the first failing reply or the reply to the final dot.</summary>
    public async Task<SmtpReply> SendMailAsync(string from, IEnumerable<string> recipients, string message, string mailParameters = "")
    {
        var reply = await CommandAsync($"MAIL FROM:<{from}>{mailParameters}");
        if (reply.Code != 250)
        {
            return reply;
        }

        var accepted = 0;
        SmtpReply? refused = null;
        foreach (var recipient in recipients)
        {
            reply = await CommandAsync($"RCPT TO:<{recipient}>");
            if (reply.Code == 250)
            {
                accepted++;
            }
            else
            {
                refused ??= reply;
            }
        }

        if (accepted == 0)
        {
            await CommandAsync("RSET");
            return refused ?? reply;
        }

        reply = await CommandAsync("DATA");
        if (reply.Code != 354)
        {
            return reply;
        }

        var body = message.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        if (!body.EndsWith("\r\n", StringComparison.Ordinal))
        {
            body += "\r\n";
        }

        body = string.Join("\r\n", body.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        return await CommandAsync(body + ".");
    }

    /// <summary>Reads one whole reply (all its lines).</summary>
    /// <exception cref="EndOfStreamException">The server closed the connection first.</exception>
    public async Task<SmtpReply> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new EndOfStreamException($"The server closed the connection (after: {string.Join(" | ", lines)}).");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                var code = line.Length >= 3 && int.TryParse(line.AsSpan(0, 3), out var c) ? c : 0;
                return new SmtpReply(code, lines);
            }
        }
    }

    /// <summary>Whether the server has closed the connection (reads until end of stream or a line).</summary>
    public async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end));
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
