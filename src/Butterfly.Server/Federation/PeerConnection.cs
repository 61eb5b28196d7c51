using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Butterfly.Protocol.Framing;

namespace Butterfly.Server.Federation;

/// <summary>
/// The client end of a connection to a peer server: tagged requests, many in flight, replies
/// matched by tag as they come (protocol/framing.md, "Tag"). Writes are batched and flushed once
/// per batch. Any failure closes the connection and fails every waiting request.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    // Flush before the unflushed bytes grow past this, so one large batch is not buffered whole.
    private const int MaxUnflushedBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly int _maxFrameBytes;
    private readonly Channel<(ulong Tag, ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body)> _outgoing =
        Channel.CreateUnbounded<(ulong, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<PeerReply>> _pending = new();
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private long _nextTag;
    private Exception? _failure;

    public PeerConnection(Stream stream, string description, int maxFrameBytes)
    {
        _stream = stream;
        Description = description;
        _maxFrameBytes = maxFrameBytes;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Where the connection goes, for logs.</summary>
    public string Description { get; }

    /// <summary>Whether the connection can still carry requests.</summary>
    public bool IsOpen => Volatile.Read(ref _failure) is null;

    /// <summary>Requests sent and not yet answered.</summary>
    public int Pending => _pending.Count;

    /// <summary>Sends one request and waits for its reply.</summary>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section.</param>
    /// <param name="timeout">How long to wait for the reply; on expiry the connection is closed.</param>
    /// <param name="ct">Stops waiting.</param>
    /// <exception cref="IOException">The connection failed or was closed.</exception>
    /// <exception cref="TimeoutException">No reply in time.</exception>
    public async Task<PeerReply> RequestAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken ct)
    {
        ThrowIfFailed();
        var tag = (ulong)Interlocked.Increment(ref _nextTag);
        var completion = new TaskCompletionSource<PeerReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[tag] = completion;
        if (!_outgoing.Writer.TryWrite((tag, head, body)))
        {
            _pending.TryRemove(tag, out _);
            ThrowIfFailed();
            throw new IOException($"The connection to {Description} is closed.");
        }

        // A failure between the check above and registering is caught by the loop's own sweep.
        if (!IsOpen)
        {
            FailPending();
        }

        try
        {
            return await completion.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // A peer that does not answer in time is treated as hung: later requests get a new connection.
            Fail(new TimeoutException($"{Description} did not answer within {timeout.TotalSeconds:0.#} s."));
            throw new TimeoutException($"{Description} did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            _pending.TryRemove(tag, out _);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Fail(new IOException($"The connection to {Description} was closed."));
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The loops end on their own once the stream is gone.
        }

        await _stream.DisposeAsync();
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new IOException(failure.Message, failure);
        }
    }

    private void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is not null)
        {
            return;
        }

        _outgoing.Writer.TryComplete();
        _reader.CancelPendingRead();
        try
        {
            // Closing the stream wakes a read blocked inside it (TLS, sockets).
            _stream.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Already gone.
        }

        FailPending();
    }

    private void FailPending()
    {
        var failure = Volatile.Read(ref _failure);
        foreach (var tag in _pending.Keys)
        {
            if (_pending.TryRemove(tag, out var waiting))
            {
                waiting.TrySetException(new IOException(failure?.Message ?? "The connection was closed.", failure));
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var queue = _outgoing.Reader;
        try
        {
            while (await queue.WaitToReadAsync())
            {
                // Write everything that is waiting, then flush once.
                while (queue.TryRead(out var frame))
                {
                    FrameWriter.Write(_writer, frame.Tag, frame.Head.Span, frame.Body.Span);
                    if (_writer.UnflushedBytes > MaxUnflushedBytes)
                    {
                        await _writer.FlushAsync();
                    }
                }

                var result = await _writer.FlushAsync();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            Fail(new IOException($"The connection to {Description} was lost while sending: {ex.Message}", ex));
        }

        // Returns the pipe's pooled buffers; on a closed stream there is nothing left to flush.
        try
        {
            await _writer.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or NotSupportedException)
        {
            // Already gone.
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? reason = null;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync();
                if (result.IsCanceled)
                {
                    return;
                }

                var buffer = result.Buffer;
                var status = FrameStatus.Incomplete;
                while (true)
                {
                    status = FrameReader.TryRead(buffer, _maxFrameBytes, out var frame, out var end, out var error);
                    if (status != FrameStatus.Complete)
                    {
                        if (status == FrameStatus.Invalid)
                        {
                            reason = new IOException($"{Description} sent a malformed frame ({error}).");
                        }

                        break;
                    }

                    Deliver(frame, ref reason);
                    buffer = buffer.Slice(end);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (reason is not null)
                {
                    return;
                }

                if (result.IsCompleted)
                {
                    reason = new IOException($"{Description} closed the connection.");
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            reason = new IOException($"The connection to {Description} was lost: {ex.Message}", ex);
        }
        finally
        {
            Fail(reason ?? new IOException($"The connection to {Description} was closed."));
            await _reader.CompleteAsync();
        }
    }

    private void Deliver(in Frame frame, ref Exception? reason)
    {
        JsonElement head;
        try
        {
            using var document = JsonDocument.Parse(frame.Head);
            head = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            reason = new IOException($"{Description} sent a reply whose head is not JSON.");
            return;
        }

        if (frame.Tag == FrameLayout.PushTag)
        {
            // framing.md, "Tag": the server's own frame; on a peer connection only the error frame
            // sent before closing is expected. The close that follows fails what is waiting.
            var code = head.TryGetProperty("code"u8, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (code is not null)
            {
                reason = new IOException($"{Description} closed the connection: {code}.");
            }

            return;
        }

        if (_pending.TryRemove(frame.Tag, out var waiting))
        {
            waiting.TrySetResult(new PeerReply(frame.Tag, head, frame.Body.IsEmpty ? ReadOnlyMemory<byte>.Empty : frame.Body.ToArray()));
        }
    }
}
