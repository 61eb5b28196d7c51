using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Butterfly.Cli.Rendering;

/// <summary>Writes indented JSON for <c>--json</c>.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions _options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, _options))
        {
            write(writer);
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    public static void WriteIdMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<long, long> map)
    {
        writer.WriteStartObject(name);
        foreach (var (from, to) in map.OrderBy(p => p.Key))
        {
            writer.WriteNumber(from.ToString(System.Globalization.CultureInfo.InvariantCulture), to);
        }

        writer.WriteEndObject();
    }
}
