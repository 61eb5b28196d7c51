using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Client;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Framing;
using ProtocolCommands = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Bench;

/// <summary>
/// A bare socket for <c>bench memory</c>: it sends bytes no client library would (a frame it never
/// finishes, requests whose answers it never reads) and reads one answer at a time when asked.
/// </summary>
internal sealed class ProbeSocket : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    // Small to start (it grows for a large answer): the idle scenario holds thousands of these.
    private byte[] _buffer = new byte[4 * 1024];
    private int _count;
    private ulong _tag;
    private long _sent;

    private ProbeSocket(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Bytes written into the socket so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Connects.</summary>
    /// <exception cref="ButterflyConnectionException">No connection.</exception>
    public static async Task<ProbeSocket> ConnectAsync(string host, int port, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, ct);
            return new ProbeSocket(socket);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ButterflyConnectionException($"Cannot connect to {new ButterflyEndpoint(host, port)}: {ex.Message}", ex);
        }
    }

    /// <summary>Connects and logs in, trying again while the server is busy hashing.</summary>
    public static async Task<ProbeSocket> LoginAsync(string host, int port, string user, string password, CancellationToken ct)
    {
        var socket = await ConnectAsync(host, port, ct);
        try
        {
            var head = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["cmd"] = ProtocolCommands.Login, ["user"] = user, ["password"] = password });
            await BusyRetry.LoginAsync(() => socket.RequestAsync(head, default, ct), ct);
            return socket;
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one request and reads its answer; returns the answer's head.</summary>
    /// <exception cref="ButterflyException">The answer is an error.</exception>
    public async Task<JsonElement> RequestAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var tag = ++_tag;
        await SendAsync(FrameWriter.ToArray(tag, head.Span, body.Span), ct);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _count);
            if (FrameReader.TryRead(sequence, int.MaxValue - 16, out var frame, out var end, out _) == FrameStatus.Complete)
            {
                var answer = frame.Head.ToArray();
                var used = (int)sequence.Slice(0, end).Length;
                Buffer.BlockCopy(_buffer, used, _buffer, 0, _count - used);
                _count -= used;
                if (!FrameHeads.TryScanReply(answer, out var ok, out var code, out var message) || ok != true)
                {
                    throw new ButterflyException(code ?? "reply.malformed", message ?? "The answer is not a JSON object.");
                }

                return JsonDocument.Parse(answer).RootElement.Clone();
            }

            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_count), ct);
            if (read == 0)
            {
                throw new ButterflyConnectionException("The server closed the connection.");
            }

            _count += read;
        }
    }

    /// <summary>Writes <paramref name="bytes"/>, counting them in <see cref="Sent"/> as they go.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        const int Chunk = 64 * 1024;
        for (var offset = 0; offset < bytes.Length; offset += Chunk)
        {
            var piece = bytes.Slice(offset, Math.Min(Chunk, bytes.Length - offset));
            await _stream.WriteAsync(piece, ct);
            Interlocked.Add(ref _sent, piece.Length);
        }
    }

    /// <summary>Closes the socket at once.</summary>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return _stream.DisposeAsync();
    }
}
