using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

/// <summary>
/// A <see cref="FrameConnection"/> over two in-memory pipes: the test writes what the other side
/// sends into <see cref="Send(byte[])"/> and reads what the connection wrote with <see cref="ReadFrameAsync"/>.
/// The receiver records every call on a channel, so tests wait for events rather than for time.
/// </summary>
internal sealed class ConnectionHarness : IFrameReceiver, IAsyncDisposable
{
    public static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private readonly Pipe _toConnection = new();
    private readonly Pipe _fromConnection = new();
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly TaskCompletionSource<ConnectionError?> _readingStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadOnlySequence<byte> _unread = ReadOnlySequence<byte>.Empty;

    public ConnectionHarness(FrameConnectionOptions options)
    {
        Connection = new FrameConnection(new DuplexPipe(_toConnection.Reader, _fromConnection.Writer), this, options);
        Run = Connection.RunAsync();
    }

    public FrameConnection Connection { get; }

    public Task Run { get; }

    /// <summary>What OnRequestAsync returns for the next request; completed when null.</summary>
    public Func<Received, ValueTask>? OnRequest { get; set; }

    public ReadOnlyMemory<byte> ErrorHead { get; set; } = """{"ok":false,"code":"protocol.error"}"""u8.ToArray();

    public ErrorCode? ProtocolErrorSeen { get; private set; }

    public Task<ConnectionError?> ReadingStopped => _readingStopped.Task;

    public async Task Send(byte[] bytes)
    {
        await _toConnection.Writer.WriteAsync(bytes);
    }

    public Task Send(ulong tag, string head, byte[]? body = null) => Send(RawFrames.Frame(tag, head, body));

    public async Task CloseInputAsync() => await _toConnection.Writer.CompleteAsync();

    public async Task<Received> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(Prompt);

    public bool TryNext(out Received received) => _received.Reader.TryRead(out received!);

    /// <summary>The next frame the connection wrote, or null when it completed its output.</summary>
    public async Task<DecodedFrame?> ReadFrameAsync()
    {
        while (true)
        {
            var status = FrameReader.TryRead(_unread, int.MaxValue, out var frame, out var end, out _);
            if (status == FrameStatus.Complete)
            {
                var decoded = DecodedFrame.From(frame);
                _unread = new ReadOnlySequence<byte>(_unread.Slice(end).ToArray());
                return decoded;
            }

            var result = await _fromConnection.Reader.ReadAsync().AsTask().WaitAsync(Prompt);
            var combined = new byte[_unread.Length + result.Buffer.Length];
            _unread.CopyTo(combined);
            result.Buffer.CopyTo(combined.AsSpan((int)_unread.Length));
            _fromConnection.Reader.AdvanceTo(result.Buffer.End);
            _unread = new ReadOnlySequence<byte>(combined);
            if (result.IsCompleted && result.Buffer.IsEmpty)
            {
                Assert.True(_unread.IsEmpty, "the connection completed its output in the middle of a frame");
                return null;
            }
        }
    }

    public ValueTask OnRequestAsync(in Frame frame)
    {
        var received = Received.From("request", frame);
        _received.Writer.TryWrite(received);
        return OnRequest?.Invoke(received) ?? ValueTask.CompletedTask;
    }

    /// <summary>Called for each reply after it is recorded (to complete pending requests).</summary>
    public Action<Received>? OnReplyReceived { get; set; }

    public void OnReply(in Frame frame)
    {
        var received = Received.From("reply", frame);
        _received.Writer.TryWrite(received);
        OnReplyReceived?.Invoke(received);
    }

    public void OnTagZero(in Frame frame) => _received.Writer.TryWrite(Received.From("tag0", frame));

    public ReadOnlyMemory<byte> OnProtocolError(ErrorCode code)
    {
        ProtocolErrorSeen = code;
        return ErrorHead;
    }

    public void OnReadingStopped(ConnectionError? error) => _readingStopped.TrySetResult(error);

    public async ValueTask DisposeAsync()
    {
        Connection.Abort();
        await _toConnection.Writer.CompleteAsync();
        await _fromConnection.Reader.CompleteAsync();
        await Run.WaitAsync(Prompt);
    }

    public sealed record Received(string Kind, ulong Tag, string Head, byte[] Body)
    {
        public static Received From(string kind, in Frame frame) =>
            new(kind, frame.Tag, Encoding.UTF8.GetString(frame.Head.ToArray()), frame.Body.ToArray());
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
