using System.Buffers;
using System.Net.Sockets;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Client;

/// <summary>The read loop, the write loop, the timeout sweep and closing.</summary>
public sealed partial class ButterflyClient
{
    // Flush before the unflushed bytes grow past this, so one huge batch does not buffer unbounded.
    private const int MaxUnflushedBytes = 1 << 20;

    private async Task WriteLoopAsync()
    {
        var queue = _outgoing.Reader;
        try
        {
            while (await queue.WaitToReadAsync())
            {
                // Write everything that is waiting, then flush once: one syscall per batch.
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
        catch (Exception ex)
        {
            Close(new ButterflyConnectionException("The connection to the server was lost while sending.", ex));
        }

        try
        {
            await _writer.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Completing flushes what is left; on a closed socket there is nowhere to flush to.
        }
    }

    private async Task ReadLoopAsync()
    {
        ButterflyConnectionException? error = null;
        try
        {
            while (error is null && Volatile.Read(ref _closeError) is null)
            {
                var result = await _reader.ReadAsync();
                var buffer = result.Buffer;
                while (error is null)
                {
                    var status = FrameReader.TryRead(buffer, _options.MaxFrameBytes, out var frame, out var end, out var code);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status == FrameStatus.Invalid)
                    {
                        error = new ButterflyConnectionException($"The server sent a frame this client cannot accept ({code.ToWire()}).");
                        break;
                    }

                    error = Dispatch(frame);
                    buffer = buffer.Slice(end);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted && error is null)
                {
                    error = new ButterflyConnectionException(buffer.IsEmpty
                        ? "The server closed the connection."
                        : "The server closed the connection in the middle of a frame.");
                }
            }
        }
        catch (Exception ex)
        {
            // Whatever ends the loop, no request may be left waiting: every failure closes the connection.
            error = new ButterflyConnectionException("The connection to the server was lost.", ex);
        }

        Close(error ?? new ButterflyConnectionException());
        await _reader.CompleteAsync();
    }

    /// <summary>Hands one frame to its waiter; returns an error when the frame ends the connection.</summary>
    private ButterflyConnectionException? Dispatch(in Frame frame)
    {
        var headLength = (int)frame.Head.Length;
        var bytes = new byte[headLength + (int)frame.Body.Length];
        frame.Head.CopyTo(bytes);
        frame.Body.CopyTo(bytes.AsSpan(headLength));
        if (!ButterflyReply.TryScan(bytes.AsSpan(0, headLength), out var ok, out var code, out var message))
        {
            return new ButterflyConnectionException("The server sent a reply whose head is not a JSON object.");
        }

        var reply = new ButterflyReply(frame.Tag, bytes, headLength, ok == true, code, message);
        if (frame.Tag == FrameLayout.PushTag)
        {
            if (ok == false)
            {
                // protocol/client.md: an error frame with tag 0 precedes the server closing.
                var wire = code ?? ErrorCode.ProtocolMalformedFrame.ToWire();
                return new ButterflyConnectionException(wire, message ?? "The server closed the connection.", null);
            }

            _events.Writer.TryWrite(reply);
            return null;
        }

        // A reply nobody waits for (timed out or cancelled) is dropped.
        if (_pending.TryRemove(frame.Tag, out var pending))
        {
            pending.Complete(reply);
        }

        return null;
    }

    private void SweepTimeouts()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var now = Environment.TickCount64;
        foreach (var pair in _pending)
        {
            if (pair.Value.Deadline <= now && _pending.TryRemove(pair))
            {
                pair.Value.Fail(new TimeoutException($"No reply from the server within the request timeout (tag {pair.Key})."));
            }
        }
    }

    /// <summary>Marks the connection dead (the first error wins) and fails every waiting request with it.</summary>
    private void Close(ButterflyConnectionException error)
    {
        if (Interlocked.CompareExchange(ref _closeError, error, null) is not null)
        {
            return;
        }

        _outgoing.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        _socket.Close();
        _sweep.Dispose();
        foreach (var pair in _pending)
        {
            if (_pending.TryRemove(pair))
            {
                pair.Value.Fail(error);
            }
        }

        _events.Writer.TryComplete();
    }
}
