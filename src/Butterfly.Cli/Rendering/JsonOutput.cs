using System.Text;
using System.Text.Json;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// Writes the JSON of <c>--json</c>. Every command prints through these options, so text is
/// printed the same way everywhere: non-ASCII characters as themselves (UTF-8), never as
/// <c>\u00e9</c> escapes, with only what JSON requires escaped (<see cref="JsonTextEncoder"/>).
/// </summary>
internal static class JsonOutput
{
    /// <summary>Indented, for results on stdout.</summary>
    public static JsonWriterOptions IndentedOptions { get; } = new()
    {
        Indented = true,
        Encoder = JsonTextEncoder.Instance,
    };

    /// <summary>One line, for errors on stderr.</summary>
    public static JsonWriterOptions CompactOptions { get; } = new()
    {
        Indented = false,
        Encoder = JsonTextEncoder.Instance,
    };

    public static async Task WriteAsync(TextWriter output, Action<Utf8JsonWriter> write) =>
        await output.WriteLineAsync(Text(IndentedOptions, write));

    /// <summary>What <paramref name="write"/> writes, on one line (errors and progress on stderr).</summary>
    public static string Compact(Action<Utf8JsonWriter> write) => Text(CompactOptions, write);

    private static string Text(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>With --json the object <paramref name="writeJson"/> writes, otherwise <paramref name="text"/> as it is.</summary>
    public static Task PrintAsync(TextWriter output, bool json, Action<Utf8JsonWriter> writeJson, string text) =>
        json ? WriteAsync(output, writeJson) : output.WriteAsync(text);

    /// <summary>Writes an object of string members, e.g. <c>{"created": "Archive"}</c>.</summary>
    public static Action<Utf8JsonWriter> Object(params (string Name, string Value)[] members) => w =>
    {
        w.WriteStartObject();
        foreach (var (name, value) in members)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
    };

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

    /// <summary>Writes <paramref name="value"/>, or null when it is null.</summary>
    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
