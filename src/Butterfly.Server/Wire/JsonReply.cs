using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Wire;

/// <summary>
/// Writes reply heads from the typed wire contracts (Butterfly.Protocol.Contracts, source-generated
/// JSON) with one reusable writer per thread.
/// </summary>
internal static class JsonReply
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>The UTF-8 JSON of <paramref name="value"/>.</summary>
    /// <typeparam name="T">A contract type.</typeparam>
    /// <param name="value">The head.</param>
    /// <param name="info">Its generated metadata, from <see cref="ProtocolJson.Default"/>.</param>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> info)
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
        JsonSerializer.Serialize(writer, value, info);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A success reply.</summary>
    /// <typeparam name="T">The reply contract.</typeparam>
    /// <param name="value">The head.</param>
    /// <param name="info">Its generated metadata.</param>
    public static Reply Ok<T>(T value, JsonTypeInfo<T> info)
        where T : OkReply =>
        new(Serialize(value, info), ReadOnlyMemory<byte>.Empty, ErrorCode.None);

    /// <summary>A success reply with a binary body.</summary>
    /// <typeparam name="T">The reply contract.</typeparam>
    /// <param name="value">The head.</param>
    /// <param name="info">Its generated metadata.</param>
    /// <param name="body">The binary section.</param>
    public static Reply OkWithBody<T>(T value, JsonTypeInfo<T> info, ReadOnlyMemory<byte> body)
        where T : OkReply =>
        new(Serialize(value, info), body, ErrorCode.None);
}
