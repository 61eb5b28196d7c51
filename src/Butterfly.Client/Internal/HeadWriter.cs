using System.Buffers;
using System.Text.Json;

namespace Butterfly.Client.Internal;

/// <summary>Builds request heads (<c>{"cmd": ..., ...}</c>) as UTF-8 JSON.</summary>
internal static class HeadWriter
{
    /// <summary>A head with only the command name.</summary>
    public static byte[] Command(string cmd) => Build(cmd, 0, static (_, _) => { });

    /// <summary>A head with the command name and the fields <paramref name="write"/> adds.</summary>
    public static byte[] Build<TState>(string cmd, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("cmd"u8, cmd);
            write(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a string array property.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string>? values)
    {
        writer.WriteStartArray(name);
        if (values is not null)
        {
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes an id array property.</summary>
    public static void WriteIds(Utf8JsonWriter writer, string name, IEnumerable<long> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
    }
}
