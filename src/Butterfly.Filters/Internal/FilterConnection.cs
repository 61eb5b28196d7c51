using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Protocol.Framing;

namespace Butterfly.Filters.Internal;

/// <summary>
/// One connection to the server's filter socket. Both sides send requests (protocol/filter.md,
/// "Requests both ways"): frames with <c>"cmd"</c> are the server's requests, frames with
/// <c>"ok"</c> answer ours, matched by tag.
/// </summary>
internal sealed class FilterConnection : IAsyncDisposable
{
    private const int MaxFrameBytes = 64 << 20;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _pendingWrites;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<FilterReply>> _pending = new();
    private readonly ConcurrentDictionary<Task, bool> _serving = new();
    private long _nextTag;
    private volatile bool _closed;

    private FilterConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
        _writer = PipeWriter.Create(_stream);
    }

    /// <summary>Connects to the socket at <paramref name="path"/>.</summary>
    public static async Task<FilterConnection> ConnectAsync(string path, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new FilterConnection(socket);
    }

    /// <summary>Sends a request with the next tag of ours and waits for its reply.</summary>
    /// <exception cref="FilterException">The server answered with an error, or the connection was lost.</exception>
    public async Task<FilterReply> RequestAsync(byte[] head, CancellationToken ct)
    {
        var tag = (ulong)Interlocked.Increment(ref _nextTag);
        var completion = new TaskCompletionSource<FilterReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[tag] = completion;
        if (_closed)
        {
            _pending.TryRemove(tag, out _);
            throw new FilterException("connection.lost", "The connection to the server is closed.");
        }

        try
        {
            await SendAsync(tag, head, ReadOnlyMemory<byte>.Empty);
            var reply = await completion.Task.WaitAsync(ct);
            if (!reply.Ok)
            {
                using (reply)
                {
                    var root = reply.Head.RootElement;
                    throw new FilterException(JsonHeads.String(root, "code") ?? "filter.error", JsonHeads.String(root, "message") ?? "The server refused the request.");
                }
            }

            return reply;
        }
        finally
        {
            _pending.TryRemove(tag, out _);
        }
    }

    /// <summary>Writes one frame (a request of ours or a reply to the server's) and flushes.</summary>
    public async Task SendAsync(ulong tag, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body)
    {
        // One flush per batch: a writer that sees another one waiting for the lock leaves the
        // flush to it, and the last writer of a burst flushes them all.
        Interlocked.Increment(ref _pendingWrites);
        await _writeLock.WaitAsync();
        try
        {
            bool last;
            try
            {
                if (_closed)
                {
                    throw new FilterException("connection.lost", "The connection to the server is closed.");
                }

                FrameWriter.Write(_writer, tag, head.Span, body.Span);
            }
            finally
            {
                last = Interlocked.Decrement(ref _pendingWrites) == 0;
            }

            if (last)
            {
                await _writer.FlushAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new FilterException("The connection to the server was lost.", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Reads frames until the server closes the connection or <paramref name="ct"/> fires. Each
    /// request of the server's is handed to <paramref name="onRequest"/> without waiting for it, so
    /// many are served at once; replies complete our pending requests.
    /// </summary>
    public async Task ReadLoopAsync(Func<ulong, JsonDocument, byte[], Task> onRequest, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(ct);
                var buffer = result.Buffer;
                var status = FrameStatus.Incomplete;
                try
                {
                    while ((status = FrameReader.TryRead(buffer, MaxFrameBytes, out var frame, out var end, out _)) == FrameStatus.Complete)
                    {
                        var tag = frame.Tag;
                        var body = frame.Body.ToArray();
                        // Copied: a document parsed from the pipe's memory would read it after the buffer is reused.
                        var head = JsonDocument.Parse(frame.Head.ToArray().AsMemory());
                        buffer = buffer.Slice(end);
                        if (!Dispatch(tag, head, body, onRequest))
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (status == FrameStatus.Invalid || result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or JsonException or ObjectDisposedException)
        {
            // The server went away or sent garbage: the connection is over either way.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            FailPending();
            await Task.WhenAll(_serving.Keys);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        FailPending();
        await _writeLock.WaitAsync();
        try
        {
            await _writer.CompleteAsync();
            await _reader.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Closing a connection the server has already dropped.
        }
        finally
        {
            _writeLock.Release();
        }

        _socket.Dispose();
        await _stream.DisposeAsync();
    }

    private bool Dispatch(ulong tag, JsonDocument head, byte[] body, Func<ulong, JsonDocument, byte[], Task> onRequest)
    {
        var root = head.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cmd", out _))
        {
            var serving = ServeAsync(tag, head, body, onRequest);
            _serving[serving] = true;
            _ = serving.ContinueWith(t => _serving.TryRemove(t, out _), TaskScheduler.Default);
            return true;
        }

        if (tag == 0)
        {
            // framing.md, "Tag": the server's own error frame (e.g. shutting down); it closes after it.
            head.Dispose();
            return false;
        }

        if (_pending.TryRemove(tag, out var pending))
        {
            pending.TrySetResult(new FilterReply(head, body));
        }
        else
        {
            head.Dispose();
        }

        return true;
    }

    private static async Task ServeAsync(ulong tag, JsonDocument head, byte[] body, Func<ulong, JsonDocument, byte[], Task> onRequest)
    {
        using (head)
        {
            await Task.Yield();
            await onRequest(tag, head, body);
        }
    }

    private void FailPending()
    {
        _closed = true;
        foreach (var (tag, pending) in _pending)
        {
            if (_pending.TryRemove(tag, out _))
            {
                pending.TrySetException(new FilterException("connection.lost", "The connection to the server was lost."));
            }
        }
    }
}
