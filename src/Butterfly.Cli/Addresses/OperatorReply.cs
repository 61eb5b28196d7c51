using System.Text.Json;
using Butterfly.Cli.Rendering;

namespace Butterfly.Cli.Addresses;

/// <summary>Prints a control-socket reply for <c>--json</c>: the reply's members without <c>ok</c>.</summary>
internal static class OperatorReply
{
    public static Task WriteAsync(TextWriter output, JsonElement reply) => JsonOutput.WriteAsync(output, w =>
    {
        w.WriteStartObject();
        foreach (var property in reply.EnumerateObject().Where(p => p.Name != "ok"))
        {
            property.WriteTo(w);
        }

        w.WriteEndObject();
    });

    /// <summary>The strings of an array member.</summary>
    public static IEnumerable<string> Strings(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString() ?? string.Empty)
            : [];
}
