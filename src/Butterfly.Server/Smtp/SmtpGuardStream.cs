using System.Buffers;
using System.Text;
using Butterfly.Protocol.Connections;

namespace Butterfly.Server.Smtp;

/// <summary>
/// The bytes of one SMTP connection as the SmtpServer library reads and writes them, with what the
/// library leaves out put in between (it buffers a command line or a message whole, without a limit):
/// <list type="bullet">
/// <item>a command line longer than <c>smtp.maxCommandBytes</c> ends the connection (500 5.5.2);</item>
/// <item>inside DATA, message bytes past <c>limits.maxMessageBytes</c> are read and dropped, and the
/// message is refused at the final dot (<see cref="TooBig"/>, 552 5.3.4); the bytes kept are reserved
/// from the server's in-flight budget (<c>limits.inFlightBytes</c>) before they are handed on, so a
/// crowd of large messages waits instead of exhausting memory;</item>
/// <item>only CRLF.CRLF ends DATA; a line ending in a bare LF is taken as if it ended in CRLF
/// (Postfix's <c>smtpd_forbid_bare_newline = normalize</c>), and a "." line ending in a bare LF is
/// content, never the end (no SMTP smuggling);</item>
/// <item>a client silent for <c>smtp.timeoutSeconds</c> is disconnected (421 4.4.2);</item>
/// <item>bytes a client sends after STARTTLS before the handshake are dropped (RFC 3207 §6);</item>
/// <item>replies get RFC 2034 enhanced status codes where the library writes none, and lose the
/// library's "N retry(ies) remaining" tail.</item>
/// </list>
/// Inside DATA the library is handed one CRLF before the message, so that its dot-unstuffing (which
/// looks for CRLF "..") also covers the first line, and an empty message still ends; the gateway's
/// message store takes those two bytes off again.
/// </summary>
internal sealed class SmtpGuardStream : Stream
{
    private const int ReservationChunk = 64 * 1024;
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private readonly SmtpLimits _limits;
    private readonly ByteBudget _budget;
    private readonly string _serverName;
    private readonly byte[] _raw = new byte[16 * 1024];
    private readonly byte[] _line;
    private readonly ArrayBufferWriter<byte> _ready = new(4096);
    private readonly Queue<string> _verbs = new();
    private readonly Lock _lock = new();
    private readonly StringBuilder _written = new();
    private Stream _inner;
    private int _rawStart;
    private int _rawEnd;
    private int _lineLength;
    private int _readyOffset;
    private Mode _mode = Mode.Command;
    private TaskCompletionSource<bool>? _awaitedReply;
    private bool _greeted;

    // DATA state.
    private bool _atLineStart;
    private bool _pendingCr;
    private bool _dotLine;
    private long _messageBytes;
    private long _reserved;

    public SmtpGuardStream(Stream inner, SmtpLimits limits, ByteBudget budget, string serverName)
    {
        _inner = inner;
        _limits = limits;
        _budget = budget;
        _serverName = serverName;
        _line = new byte[limits.MaxCommandBytes];
    }

    private enum Mode
    {
        Command,
        AwaitingDataReply,
        AwaitingTls,
        Data,
        Closed,
    }

    /// <summary>Whether the message being received (or just received) went past <c>limits.maxMessageBytes</c>; its bytes were dropped.</summary>
    public bool TooBig { get; private set; }

    /// <summary>The message's size in bytes as received so far (all of it, also past the limit).</summary>
    public long MessageBytes => _messageBytes;

    /// <summary>Why the guard ended the connection, or null.</summary>
    public string? Ended { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Goes on over the TLS stream after STARTTLS; whatever the client sent in the clear after the command is gone.</summary>
    /// <param name="secured">The TLS stream over the connection.</param>
    public void Upgrade(Stream secured)
    {
        lock (_lock)
        {
            _inner = secured;
            _rawStart = _rawEnd = 0;
            _lineLength = 0;
            _ready.Clear();
            _readyOffset = 0;
            _verbs.Clear();
            _mode = Mode.Command;
            _awaitedReply?.TrySetResult(false);
            _awaitedReply = null;
        }
    }

    /// <summary>Gives the message's reservation back to the budget (after the message store is done with it).</summary>
    public void ReleaseMessage()
    {
        var reserved = Interlocked.Exchange(ref _reserved, 0);
        _budget.Release(reserved);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var waiting = _ready.WrittenCount - _readyOffset;
            if (waiting > 0)
            {
                var count = Math.Min(waiting, buffer.Length);
                _ready.WrittenSpan.Slice(_readyOffset, count).CopyTo(buffer.Span);
                _readyOffset += count;
                if (_readyOffset == _ready.WrittenCount)
                {
                    _ready.Clear();
                    _readyOffset = 0;
                }

                return count;
            }

            switch (_mode)
            {
                case Mode.Closed:
                    return 0;

                case Mode.AwaitingDataReply:
                case Mode.AwaitingTls:
                    // The client must wait for the reply to DATA (RFC 2920 §3.1) and to STARTTLS
                    // (RFC 3207 §4): nothing after either is read until it is written.
                    var awaited = _awaitedReply;
                    if (awaited is not null)
                    {
                        await awaited.Task.WaitAsync(_limits.Timeout, cancellationToken);
                    }

                    continue;
            }

            if (_rawStart == _rawEnd)
            {
                _rawStart = _rawEnd = 0;
                var read = await ReadInnerAsync(cancellationToken);
                if (read <= 0)
                {
                    return 0;
                }

                _rawEnd = read;
            }

            if (_mode == Mode.Data)
            {
                await ReserveAsync(cancellationToken);
            }

            if (!Process())
            {
                await FailAsync(Ended!);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var rewritten = Rewrite(buffer.Span);
        if (rewritten.Length > 0)
        {
            await _inner.WriteAsync(rewritten, cancellationToken);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseMessage();
            _awaitedReply?.TrySetResult(false);
        }

        base.Dispose(disposing);
    }

    private async Task<int> ReadInnerAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_limits.Timeout);
        try
        {
            return await _inner.ReadAsync(_raw.AsMemory(), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Ended = $"421 4.4.2 {_serverName} Timeout: nothing received for {_limits.Timeout.TotalSeconds:0} seconds; closing";
            await FailAsync(Ended);
            return 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // Reserves in-flight bytes for what the raw buffer may add to the message (a bare LF becomes two).
    private async Task ReserveAsync(CancellationToken cancellationToken)
    {
        if (TooBig)
        {
            return;
        }

        var need = _messageBytes + (2L * (_rawEnd - _rawStart)) + 3 - Interlocked.Read(ref _reserved);
        if (need > 0)
        {
            var wanted = Math.Min(Math.Max(need, ReservationChunk), _limits.MaxMessageBytes + 3 - Interlocked.Read(ref _reserved));
            if (wanted > 0)
            {
                Interlocked.Add(ref _reserved, await _budget.ReserveAsync(wanted, cancellationToken));
            }
        }
    }

    private async Task FailAsync(string reply)
    {
        _mode = Mode.Closed;
        try
        {
            await _inner.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"));
            await _inner.FlushAsync();
        }
        catch (IOException)
        {
            // The client is gone already.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // Moves raw bytes into the ready buffer; false when the connection must end (Ended says why).
    private bool Process()
    {
        while (_rawStart < _rawEnd)
        {
            switch (_mode)
            {
                case Mode.Command:
                    if (!ProcessCommand())
                    {
                        return false;
                    }

                    break;

                case Mode.Data:
                    ProcessData();
                    break;

                default:
                    return true;
            }
        }

        return true;
    }

    private bool ProcessCommand()
    {
        var span = _raw.AsSpan(_rawStart, _rawEnd - _rawStart);
        var lf = span.IndexOf((byte)'\n');
        var take = lf < 0 ? span.Length : lf + 1;
        if (_lineLength + take > _line.Length)
        {
            Ended = $"500 5.5.2 {_serverName} Line too long: a command line may have at most {_line.Length} bytes; closing";
            return false;
        }

        span[..take].CopyTo(_line.AsSpan(_lineLength));
        _lineLength += take;
        _rawStart += take;
        if (lf < 0)
        {
            return true;
        }

        // The line without its line end, which becomes CRLF whether it was CRLF or a bare LF.
        var line = _line.AsSpan(0, _lineLength - 1);
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        _ready.Write(line);
        _ready.Write(Crlf);
        _lineLength = 0;
        var verb = Verb(line);
        lock (_lock)
        {
            _verbs.Enqueue(verb);
            if (verb is "DATA" or "STARTTLS")
            {
                _mode = verb == "DATA" ? Mode.AwaitingDataReply : Mode.AwaitingTls;
                _awaitedReply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (verb == "STARTTLS")
                {
                    // RFC 3207 §6: nothing sent in the clear after STARTTLS may count.
                    _rawStart = _rawEnd;
                }
            }
        }

        return true;
    }

    private static string Verb(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        var word = space < 0 ? line : line[..space];
        return word.Length is > 0 and <= 16 ? Encoding.ASCII.GetString(word).ToUpperInvariant() : string.Empty;
    }

    private void StartData()
    {
        _mode = Mode.Data;
        _atLineStart = true;
        _pendingCr = false;
        _dotLine = false;
        _messageBytes = 0;
        TooBig = false;
        _ready.Write(Crlf);
    }

    // RFC 5321 §4.1.1.4 and §4.5.2, byte by byte where a line starts or ends, in runs in between.
    private void ProcessData()
    {
        var span = _raw.AsSpan(_rawStart, _rawEnd - _rawStart);
        var i = 0;
        while (i < span.Length && _mode == Mode.Data)
        {
            var b = span[i];
            if (_pendingCr)
            {
                _pendingCr = false;
                if (b == '\n')
                {
                    i++;
                    if (_dotLine)
                    {
                        EndData();
                        break;
                    }

                    Emit(Crlf);
                    _atLineStart = true;
                    continue;
                }

                // A bare CR is content.
                if (_dotLine)
                {
                    Emit("."u8);
                    _dotLine = false;
                }

                Emit("\r"u8);
                continue;
            }

            if (_dotLine)
            {
                if (b == '\r')
                {
                    _pendingCr = true;
                    i++;
                    continue;
                }

                _dotLine = false;
                if (b == '\n')
                {
                    // "." and a bare LF: a line holding a dot, stuffed so the library keeps it.
                    Emit("..\r\n"u8);
                    _atLineStart = true;
                    i++;
                    continue;
                }

                Emit("."u8);
                continue;
            }

            if (_atLineStart && b == '.')
            {
                _dotLine = true;
                _atLineStart = false;
                i++;
                continue;
            }

            _atLineStart = false;
            if (b == '\r')
            {
                _pendingCr = true;
                i++;
                continue;
            }

            if (b == '\n')
            {
                Emit(Crlf);
                _atLineStart = true;
                i++;
                continue;
            }

            var run = span[i..];
            var stop = run.IndexOfAny((byte)'\r', (byte)'\n');
            if (stop < 0)
            {
                stop = run.Length;
            }

            Emit(run[..stop]);
            i += stop;
        }

        _rawStart += i;
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _messageBytes += bytes.Length;
        if (_messageBytes > _limits.MaxMessageBytes)
        {
            // Read on to the final dot, keeping nothing: the reply comes then (RFC 5321 §4.5.3.1.10).
            TooBig = true;
            return;
        }

        _ready.Write(bytes);
    }

    private void EndData()
    {
        _ready.Write(".\r\n"u8);
        lock (_lock)
        {
            _mode = Mode.Command;
            _verbs.Enqueue(".");
        }
    }

    // The replies: enhanced status codes added, the library's retry count taken off, DATA's and
    // STARTTLS's outcome noted for the reading side.
    private byte[] Rewrite(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            _written.Append(Encoding.UTF8.GetString(bytes));
            var text = _written.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                return [];
            }

            _written.Clear();
            _written.Append(text, end + 1, text.Length - end - 1);
            var output = new StringBuilder();
            foreach (var raw in text[..end].Split('\n'))
            {
                output.Append(RewriteLine(raw.TrimEnd('\r'))).Append("\r\n");
            }

            return Encoding.UTF8.GetBytes(output.ToString());
        }
    }

    private string RewriteLine(string line)
    {
        if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
        {
            return line;
        }

        var final = line.Length == 3 || line[3] == ' ';
        if (!_greeted)
        {
            _greeted = true;
            return $"220 {_serverName} ESMTP Butterfly";
        }

        var verb = _verbs.TryPeek(out var next) ? next : string.Empty;
        if (final)
        {
            _verbs.TryDequeue(out _);
            if (verb is "DATA" or "STARTTLS")
            {
                var awaited = _awaitedReply;
                if (verb == "DATA" && code == 354)
                {
                    StartData();
                    _awaitedReply = null;
                    awaited?.TrySetResult(true);
                }
                else if (verb == "DATA" || code != 220)
                {
                    _mode = Mode.Command;
                    _awaitedReply = null;
                    awaited?.TrySetResult(false);
                }
            }
        }

        if (verb is "EHLO" or "HELO" || code / 100 is not (2 or 4 or 5))
        {
            return line;
        }

        var rest = line.Length > 4 ? line[4..] : string.Empty;
        rest = SmtpReplies.WithoutRetryCount(rest);
        if (!SmtpReplies.HasEnhancedCode(rest))
        {
            rest = $"{SmtpReplies.EnhancedCode(code, verb)} {rest}".TrimEnd();
        }

        return $"{line[..3]}{(final ? ' ' : '-')}{rest}";
    }
}
