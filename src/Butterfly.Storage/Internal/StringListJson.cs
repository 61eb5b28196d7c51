using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Butterfly.Storage.Internal;

/// <summary>Reads and writes a list of strings as a JSON array, without reflection.</summary>
internal static class StringListJson
{
    public static string? Write(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<string> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        var list = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                list.Add(reader.GetString()!);
            }
        }

        return list;
    }
}
