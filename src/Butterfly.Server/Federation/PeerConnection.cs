using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Framing;

namespace Butterfly.Server.Federation;

/// <summary>
/// The client end of a connection to a peer server: tagged requests, many in flight, replies
/// matched by tag as they come (protocol/framing.md, "Tag"), on the shared connection core. Any
/// failure closes the connection and fails every waiting request; a peer that lets one request
/// time out is treated as hung, and the connection is closed too.
/// </summary>
internal sealed class PeerConnection : IFrameReceiver, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly FrameConnection _connection;
    private readonly PendingRequests<PeerReply> _requests;

    public PeerConnection(Stream stream, string description, int maxFrameBytes)
    {
        _stream = stream;
        Description = description;
        _requests = new PendingRequests<PeerReply>(
            p => new TimeoutException($"{description} did not answer within {p.Timeout.TotalSeconds:0.#} s."),
            p => Fail($"{description} did not answer within {p.Timeout.TotalSeconds:0.#} s."));
        _connection = new FrameConnection(
            new StreamDuplexPipe(stream, readBufferSize: 4096, minimumReadSize: 1024, writeBufferSize: 4096),
            this,
            new FrameConnectionOptions { Routing = FrameRouting.Replies, MaxFrameBytes = maxFrameBytes, Description = description },
            CloseStream);
        _connection.Start();
    }

    /// <summary>Where the connection goes, for logs.</summary>
    public string Description { get; }

    /// <summary>Whether the connection can still carry requests.</summary>
    public bool IsOpen => _requests.CloseError is null && _connection.IsOpen;

    /// <summary>Requests sent and not yet answered.</summary>
    public int Pending => _requests.Count;

    /// <summary>Sends one request and waits for its reply.</summary>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section.</param>
    /// <param name="timeout">How long to wait for the reply; on expiry the connection is closed.</param>
    /// <param name="ct">Stops waiting.</param>
    /// <exception cref="IOException">The connection failed or was closed.</exception>
    /// <exception cref="TimeoutException">No reply in time.</exception>
    public Task<PeerReply> RequestAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken ct) =>
        _requests.SendAsync(_connection, head, body, timeout, ct);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Fail($"The connection to {Description} was closed.");
        await _connection.Completion;
        await _stream.DisposeAsync();
    }

    void IFrameReceiver.OnReply(in Frame frame)
    {
        if (!_requests.TryTake(frame.Tag, out var pending))
        {
            return;
        }

        if (!TryParse(frame, out var head))
        {
            var error = $"{Description} sent a reply whose head is not JSON.";
            pending.Fail(new IOException(error));
            Fail(error);
            return;
        }

        pending.Complete(new PeerReply(frame.Tag, head, frame.Body.IsEmpty ? ReadOnlyMemory<byte>.Empty : frame.Body.ToArray()));
    }

    void IFrameReceiver.OnTagZero(in Frame frame)
    {
        // framing.md, "Tag": the server's own frame; on a peer connection only the error frame
        // sent before closing is expected. The close that follows fails what is waiting.
        if (TryParse(frame, out var head) && head.TryGetProperty("code"u8, out var code) && code.ValueKind == JsonValueKind.String)
        {
            Fail($"{Description} closed the connection: {code.GetString()}.");
        }
    }

    void IFrameReceiver.OnReadingStopped(ConnectionError? error) =>
        _requests.FailAll(new IOException(error?.Message ?? $"{Description} closed the connection.", error?.Exception));

    private static bool TryParse(in Frame frame, out JsonElement head)
    {
        try
        {
            using var document = JsonDocument.Parse(frame.Head);
            head = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            head = default;
            return false;
        }
    }

    private void Fail(string reason)
    {
        _requests.FailAll(new IOException(reason));
        _connection.Abort(new ConnectionError(reason));
    }

    private void CloseStream()
    {
        try
        {
            // Closing the stream wakes a read blocked inside it (TLS, sockets).
            _stream.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Already gone.
        }
    }
}
