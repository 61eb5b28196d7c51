using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Butterfly.Server.Filters;

/// <summary>Writes the heads of the server's own requests to filters.</summary>
internal static class FilterJson
{
    private static readonly JsonWriterOptions _options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON object with the properties <paramref name="write"/> adds.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, _options))
        {
            w.WriteStartObject();
            write(w, state);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
