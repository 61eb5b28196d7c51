using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Server.Tests.Infrastructure;

/// <summary>A bare socket (TCP or UNIX) speaking frames, for tests that must send bytes no client library would.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _count;

    private RawConnection(Socket socket) => _stream = new NetworkStream(socket, ownsSocket: true);

    /// <summary>Connects over TCP, from <paramref name="from"/> when given (any of 127.0.0.0/8 works on Linux's loopback).</summary>
    /// <param name="endpoint">HOST:PORT.</param>
    /// <param name="receiveBufferBytes">A small receive buffer (set before connecting, so the TCP window stays small) for tests of a client that does not read.</param>
    /// <param name="from">The local address to connect from.</param>
    public static async Task<RawConnection> ConnectAsync(string endpoint, int? receiveBufferBytes = null, System.Net.IPAddress? from = null)
    {
        var colon = endpoint.LastIndexOf(':');
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new System.Net.IPEndPoint(from, 0));
        }

        if (receiveBufferBytes is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(endpoint[..colon].Trim('[', ']'), int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RawConnection(socket);
    }

    /// <summary>Connects to a UNIX socket (the control socket, the filter socket).</summary>
    public static async Task<RawConnection> ConnectUnixAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new RawConnection(socket);
    }

    public Task SendAsync(ulong tag, string headJson, byte[]? body = null) =>
        SendRawAsync(FrameWriter.ToArray(tag, Encoding.UTF8.GetBytes(headJson), body ?? []));

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads the next frame; null when the server closed the connection.</summary>
    public async Task<RawFrame?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _count);
            var status = FrameReader.TryRead(sequence, int.MaxValue - 16, out var frame, out var end, out _);
            if (status == FrameStatus.Complete)
            {
                var result = new RawFrame(frame.Tag, Encoding.UTF8.GetString(frame.Head), frame.Body.ToArray());
                var consumed = (int)sequence.Slice(0, end).Length;
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _count - consumed);
                _count -= consumed;
                return result;
            }

            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_count), cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _count += read;
        }
    }

    /// <summary>True when the server has closed the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedAsync(TimeSpan timeout)
    {
        try
        {
            while (true)
            {
                var frame = await ReadAsync(timeout);
                if (frame is null)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}

/// <summary>A frame as the tests see it.</summary>
internal sealed record RawFrame(ulong Tag, string Head, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Head).RootElement;

    public bool Ok => Json.GetProperty("ok").GetBoolean();

    public string? Code => Json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public ErrorCode Error => ErrorCodes.TryParse(Code, out var error) ? error : ErrorCode.None;
}
