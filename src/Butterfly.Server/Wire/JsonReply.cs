using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Butterfly.Server.Wire;

/// <summary>Builds JSON reply heads with one reusable writer per thread.</summary>
internal static class JsonReply
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>Writes <c>{"ok": ok, ...}</c> with the properties <paramref name="write"/> adds.</summary>
    /// <typeparam name="TState">State passed to the callback, to avoid closures.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="write">Writes the properties after <c>ok</c>.</param>
    /// <param name="ok">The value of <c>ok</c>.</param>
    public static byte[] Build<TState>(TState state, Action<Utf8JsonWriter, TState> write, bool ok = true)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = _writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            SkipValidation = true,

            // Heads are UTF-8 JSON read by programs, not embedded in HTML: keep non-ASCII readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteBoolean("ok", ok);
        write(writer, state);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A success reply head with extra properties.</summary>
    /// <typeparam name="TState">State passed to the callback.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="write">Writes the properties after <c>"ok": true</c>.</param>
    public static Reply Ok<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        new(Build(state, write), ReadOnlyMemory<byte>.Empty, Protocol.Errors.ErrorCode.None);

    /// <summary>A success reply with a head and a binary body.</summary>
    /// <typeparam name="TState">State passed to the callback.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="write">Writes the properties after <c>"ok": true</c>.</param>
    /// <param name="body">The binary section.</param>
    public static Reply OkWithBody<TState>(TState state, Action<Utf8JsonWriter, TState> write, ReadOnlyMemory<byte> body) =>
        new(Build(state, write), body, Protocol.Errors.ErrorCode.None);
}
