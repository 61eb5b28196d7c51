using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Framing;

namespace Butterfly.Benchmarks;

/// <summary>
/// A request head to its command, and a reply head onto the wire: the steps of the server's
/// <c>Session.Dispatch</c> and <c>JsonReply.Serialize</c> (internal to Butterfly.Server, so followed
/// here through the public types they use): copy the head out of the receive buffer, check it is
/// UTF-8, parse it into a <see cref="JsonDocument"/> (depth limit 16, limits.maxJsonDepth), find
/// <c>"cmd"</c> and, for send, the recipients; a reply serialized from its source-generated contract
/// by a reused writer, then framed. When those change, change these with them.
/// </summary>
[MemoryDiagnoser]
public class HeadBenchmarks
{
    private static readonly JsonDocumentOptions _documentOptions = new() { MaxDepth = 16 };
    private static readonly byte[] _okHead = """{"ok":true}"""u8.ToArray();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly ArrayBufferWriter<byte> _json = new(256);
    private Utf8JsonWriter _writer = null!;
    private ReadOnlySequence<byte> _pingHead;
    private ReadOnlySequence<byte> _sendHead;
    private SendReply _sendReply = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pingHead = new ReadOnlySequence<byte>(SampleFrames.PingHead);
        _sendHead = new ReadOnlySequence<byte>(SampleFrames.SendHead);
        _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _sendReply = new SendReply("<20261130.123456.42@localhost>", new SentCopyDto("Sent", 123_456), [new RecipientStatusDto("alice@localhost", "delivered")]);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary>{"cmd":"ping"} to its command name.</summary>
    [Benchmark]
    public int ParsePing() => Parse(_pingHead, readRecipients: false);

    /// <summary>{"cmd":"send","rcpt":[...]} to its command name and recipients.</summary>
    [Benchmark]
    public int ParseSend() => Parse(_sendHead, readRecipients: true);

    /// <summary>The shared {"ok":true} reply framed.</summary>
    [Benchmark]
    public int WriteOkReply()
    {
        _output.ResetWrittenCount();
        FrameWriter.Write(_output, 1, _okHead, ReadOnlySpan<byte>.Empty);
        return _output.WrittenCount;
    }

    /// <summary>A send reply (message id, Sent copy, one delivered recipient) serialized and framed.</summary>
    [Benchmark]
    public int WriteSendReply()
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        JsonSerializer.Serialize(_writer, _sendReply, ProtocolJson.Default.SendReply);
        _writer.Flush();
        var head = _json.WrittenSpan.ToArray();
        _output.ResetWrittenCount();
        FrameWriter.Write(_output, 2, head, ReadOnlySpan<byte>.Empty);
        return _output.WrittenCount;
    }

    private static int Parse(in ReadOnlySequence<byte> frameHead, bool readRecipients)
    {
        var head = frameHead.ToArray();
        if (!Utf8.IsValid(head))
        {
            throw new InvalidOperationException("The sample head is not UTF-8.");
        }

        using var document = JsonDocument.Parse(head, _documentOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("cmd"u8, out var cmd) || cmd.ValueKind != JsonValueKind.String)
        {
            throw new InvalidOperationException("The sample head has no command.");
        }

        var length = cmd.GetString()!.Length;
        if (readRecipients && root.TryGetProperty("rcpt"u8, out var rcpt))
        {
            foreach (var address in rcpt.EnumerateArray())
            {
                length += address.GetString()!.Length;
            }
        }

        return length;
    }
}
