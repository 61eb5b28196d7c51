using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Butterfly.Protocol.Framing;

namespace Butterfly.Client.Tests.Fakes;

/// <summary>One accepted connection of <see cref="FakeServer"/>: reads frames, lets the test write replies.</summary>
public sealed class FakeConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _closed;

    public FakeConnection(TcpClient tcp, Stream? stream = null)
    {
        _tcp = tcp;
        _tcp.NoDelay = true;
        _stream = stream ?? tcp.GetStream();
    }

    /// <summary>Reads requests until the client closes, calling <paramref name="handler"/> for each.</summary>
    public async Task RunAsync(Func<FakeConnection, FakeRequest, Task> handler, CancellationToken ct)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var result = await reader.ReadAsync(ct);
                var buffer = result.Buffer;
                while (FrameReader.TryRead(buffer, 64 << 20, out var frame, out var end, out _) == FrameStatus.Complete)
                {
                    var headBytes = frame.Head.ToArray();
                    var jsonReader = new Utf8JsonReader(headBytes);
                    var request = new FakeRequest(frame.Tag, JsonElement.ParseValue(ref jsonReader), frame.Body.ToArray());
                    buffer = buffer.Slice(end);
                    await handler(this, request);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The test closed the connection.
        }
    }

    /// <summary>Writes one frame.</summary>
    public async Task SendAsync(ulong tag, string headJson, byte[]? body = null)
    {
        var frame = FrameWriter.ToArray(tag, Encoding.UTF8.GetBytes(headJson), body ?? []);
        await SendRawAsync(frame);
    }

    /// <summary>Writes raw bytes.</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _tcp.Client.Close();
            _tcp.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
