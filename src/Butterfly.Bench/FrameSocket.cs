using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Protocol.Framing;

namespace Butterfly.Bench;

/// <summary>
/// One request at a time over a bare socket bound to a chosen source address, for <c>bench login</c>:
/// an attacker's or a user's connection as the server sees it, without the client library's
/// reconnects and retries.
/// </summary>
internal sealed class FrameSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[4096];
    private int _count;
    private ulong _tag;

    private FrameSocket(Socket socket) => _socket = socket;

    /// <summary>Connects from <paramref name="from"/> (any local address when null).</summary>
    public static async Task<FrameSocket> ConnectAsync(string host, int port, IPAddress? from, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (from is not null)
            {
                socket.Bind(new IPEndPoint(from, 0));
            }

            await socket.ConnectAsync(host, port, ct);
            return new FrameSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request and reads the next frame: its reply, or the server's own frame (tag 0) before it closes; null when it closed.</summary>
    public async Task<(ulong Tag, string? Code)?> RequestAsync(object head, CancellationToken ct)
    {
        var tag = ++_tag;
        await _socket.SendAsync(FrameWriter.ToArray(tag, JsonSerializer.SerializeToUtf8Bytes(head)), SocketFlags.None, ct);
        return await ReadAsync(ct);
    }

    /// <summary>Reads the next frame: (tag, error code or null when ok); null when the server closed the connection.</summary>
    public async Task<(ulong Tag, string? Code)?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _count);
            if (FrameReader.TryRead(sequence, 1 << 20, out var frame, out var end, out _) == FrameStatus.Complete)
            {
                using var document = JsonDocument.Parse(frame.Head.ToArray());
                var code = document.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
                var result = (frame.Tag, code);
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
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_count), SocketFlags.None, ct);
            }
            catch (SocketException)
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

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
