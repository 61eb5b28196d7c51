using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Butterfly.Server.Web;

/// <summary>
/// A WebSocket as the connection the client port's handler takes (protocol/websocket.md): each binary
/// message is one whole frame, length prefix included, and goes into the input pipe as it arrives; each frame
/// the session writes goes out as one binary message. The session, its frame reader and its limits are the
/// TCP port's own: this type only checks that message and frame boundaries agree.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    private const int ReceiveChunkBytes = 16 * 1024;

    // How long the browser has to answer the server's close before the connection is dropped.
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();

    // Set by the input side when the browser broke the transport's rule: the close that ends the session.
    private WebSocketCloseStatus? _violation;

    /// <summary>Wraps an accepted WebSocket.</summary>
    /// <param name="socket">The accepted socket.</param>
    /// <param name="remote">The HTTP connection's remote end: the address the limits and penalties count.</param>
    /// <param name="local">The HTTP connection's local end.</param>
    /// <param name="readBufferBytes">Unread bytes held before reading pauses, as the TCP transport's limit.</param>
    public WebSocketConnection(WebSocket socket, EndPoint? remote, EndPoint? local, long readBufferBytes)
    {
        _socket = socket;
        _input = new Pipe(new PipeOptions(pauseWriterThreshold: readBufferBytes, resumeWriterThreshold: readBufferBytes / 2, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        ConnectionClosed = _closed.Token;
    }

    /// <inheritdoc/>
    public override string ConnectionId { get; set; } = "ws-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc/>
    public override IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc/>
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    /// <inheritdoc/>
    public override IDuplexPipe Transport { get; set; }

    /// <inheritdoc/>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        _socket.Abort();
        _closed.Cancel();
    }

    /// <summary>
    /// Runs <paramref name="handler"/> (the client port's connection handler) over this WebSocket until the
    /// session ends and the socket is closed.
    /// </summary>
    /// <param name="handler">Runs the session.</param>
    public async Task RunAsync(ConnectionHandler handler)
    {
        var receiving = ReceiveAsync();
        var sending = SendAsync();
        try
        {
            await handler.OnConnectedAsync(this);
        }
        finally
        {
            // The handler may return without completing the pipes (a refusal completes only the output).
            await _output.Writer.CompleteAsync();
            await sending;
            try
            {
                await receiving.WaitAsync(CloseHandshakeTimeout);
            }
            catch (TimeoutException)
            {
                // The browser did not answer the close: the socket is dropped.
            }

            await _closed.CancelAsync();
            await receiving;
            await _input.Reader.CompleteAsync();
            _socket.Dispose();
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _closed.Dispose();
        await base.DisposeAsync();
    }

    // Browser to session: each message's bytes go into the input pipe as they arrive (the frame reader checks the
    // length prefix against the limit before the body is waited for); the message must end where its frame does.
    private async Task ReceiveAsync()
    {
        try
        {
            if (await ReceiveFramesAsync())
            {
                // The session has ended (or the browser broke the rule): read on only to see the browser's close,
                // so that the connection ends with the close handshake rather than a reset that loses the error frame.
                await _input.Writer.CompleteAsync();
                var scratch = new byte[4096];
                while ((await _socket.ReceiveAsync(scratch.AsMemory(), _closed.Token)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or ConnectionAbortedException)
        {
            // The browser went away, or did not answer the close in time.
        }
        finally
        {
            // The session sees the end of its input: it answers what it has and finishes.
            await _input.Writer.CompleteAsync();
        }
    }

    /// <summary>Feeds whole frames into the input pipe; false when the browser closed, true when reading must stop.</summary>
    private async Task<bool> ReceiveFramesAsync()
    {
        var prefix = new byte[FrameLayout.LengthSize];
        while (true)
        {
            long expected = -1; // the whole frame's size, once its prefix is in
            long received = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                var memory = _input.Writer.GetMemory(ReceiveChunkBytes);
                if (expected >= 0 && memory.Length > expected - received)
                {
                    // Never more than the frame's rest: a longer message must not leak into the next frame.
                    memory = memory[..(int)Math.Max(1, expected - received)];
                }

                result = await _socket.ReceiveAsync(memory, _closed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    _violation = WebSocketCloseStatus.InvalidMessageType;
                    return true;
                }

                var chunk = memory[..result.Count];
                if (expected < 0)
                {
                    var had = (int)Math.Min(received, prefix.Length);
                    var take = Math.Min(prefix.Length - had, chunk.Length);
                    chunk.Span[..take].CopyTo(prefix.AsSpan(had));
                    if (had + take == prefix.Length)
                    {
                        expected = prefix.Length + (long)BinaryPrimitives.ReadUInt32LittleEndian(prefix);
                    }
                }

                received += result.Count;
                if (expected >= 0 && received > expected)
                {
                    _violation = WebSocketCloseStatus.ProtocolError;
                    return true;
                }

                _input.Writer.Advance(result.Count);
                var flushed = await _input.Writer.FlushAsync(_closed.Token);
                if (flushed.IsCompleted)
                {
                    return true;
                }
            }
            while (!result.EndOfMessage);

            if (received != expected)
            {
                _violation = WebSocketCloseStatus.ProtocolError;
                return true;
            }
        }
    }

    // Session to browser: one binary message per frame, streamed (a large frame goes out in pieces of one message).
    private async Task SendAsync()
    {
        var reader = _output.Reader;
        long remaining = 0; // bytes of the current frame still to send
        var lastHead = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    if (remaining == 0)
                    {
                        if (buffer.Length < FrameLayout.HeaderSize)
                        {
                            break;
                        }

                        remaining = FrameLayout.LengthSize + (long)ReadUInt32(buffer);
                        lastHead = TopHead(buffer);
                    }

                    var piece = buffer.Slice(0, Math.Min(remaining, buffer.Length));
                    foreach (var segment in piece)
                    {
                        remaining -= segment.Length;
                        await _socket.SendAsync(segment, WebSocketMessageType.Binary, remaining == 0, _closed.Token);
                    }

                    buffer = buffer.Slice(piece.End);
                }

                reader.AdvanceTo(buffer.Start, result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            var (closeCode, closeReason) = CloseFor(lastHead);
            if (_violation is { } violation)
            {
                // The browser broke the transport's rule: the error frame the TCP port sends for broken framing, then the close.
                var head = Reply.Fail(ErrorCode.ProtocolMalformedFrame, "A WebSocket message must be one whole binary frame, length prefix included (protocol/websocket.md).").Head;
                await _socket.SendAsync(FrameWriter.ToArray(FrameLayout.PushTag, head.Span), WebSocketMessageType.Binary, true, _closed.Token);
                (closeCode, closeReason) = (violation, ErrorCode.ProtocolMalformedFrame.ToWire());
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(closeCode, closeReason, _closed.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The browser went away: the session's writes are dropped from here on.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static uint ReadUInt32(ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    // The head of a tag-0 frame, when it is whole in the buffer and small (an error frame before the close); else empty.
    private static byte[] TopHead(ReadOnlySequence<byte> buffer)
    {
        Span<byte> fixedPart = stackalloc byte[FrameLayout.HeaderSize];
        buffer.Slice(0, fixedPart.Length).CopyTo(fixedPart);
        var tag = BinaryPrimitives.ReadUInt64LittleEndian(fixedPart[FrameLayout.LengthSize..]);
        var headLength = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[(FrameLayout.LengthSize + FrameLayout.TagSize)..]);
        if (tag != FrameLayout.PushTag || headLength > 1024 || buffer.Length < fixedPart.Length + headLength)
        {
            return [];
        }

        return buffer.Slice(fixedPart.Length, headLength).ToArray();
    }

    /// <summary>The close code for a session that ended after <paramref name="lastHead"/> (protocol/websocket.md, "Closing").</summary>
    internal static (WebSocketCloseStatus Status, string? Reason) CloseFor(ReadOnlySpan<byte> lastHead)
    {
        string? code = null;
        try
        {
            using var document = JsonDocument.Parse(lastHead.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("ok"u8, out var ok) && ok.ValueKind == JsonValueKind.False
                && document.RootElement.TryGetProperty("code"u8, out var codeElement) && codeElement.ValueKind == JsonValueKind.String)
            {
                code = codeElement.GetString();
            }
        }
        catch (JsonException)
        {
            code = null;
        }

        if (code is null || !ErrorCodes.TryParse(code, out var error) || !error.ClosesConnection())
        {
            return (WebSocketCloseStatus.NormalClosure, null);
        }

        var status = error switch
        {
            ErrorCode.ProtocolFrameTooLarge => WebSocketCloseStatus.MessageTooBig,
            ErrorCode.ProtocolMalformedFrame or ErrorCode.ProtocolReservedTag => WebSocketCloseStatus.ProtocolError,
            ErrorCode.ServerShuttingDown => WebSocketCloseStatus.EndpointUnavailable,
            ErrorCode.ServerBusy => (WebSocketCloseStatus)1013, // Try Again Later (RFC 6455 registry)
            _ => WebSocketCloseStatus.PolicyViolation,
        };
        return (status, code);
    }
}
