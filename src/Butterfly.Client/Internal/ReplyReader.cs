using System.Globalization;
using System.Text.Json;

namespace Butterfly.Client.Internal;

/// <summary>Lenient accessors for reply heads: a missing field reads as its default.</summary>
internal static class ReplyReader
{
    public static string? String(JsonElement head, string name) =>
        head.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long Int64(JsonElement head, string name) =>
        head.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    public static long? NullableInt64(JsonElement head, string name) =>
        head.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public static DateTimeOffset Date(JsonElement head, string name) =>
        head.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date) ? date : default;

    public static IReadOnlyList<string> Strings(JsonElement head, string name)
    {
        if (!head.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
        }

        return list;
    }

    public static IReadOnlyList<long> Int64s(JsonElement head, string name)
    {
        if (!head.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<long>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var id))
            {
                list.Add(id);
            }
        }

        return list;
    }

    /// <summary>Reads an object such as <c>{"3": 10, "5": 11}</c> (old id to new id).</summary>
    public static IReadOnlyDictionary<long, long> IdMap(JsonElement head, string name)
    {
        var map = new Dictionary<long, long>();
        if (!head.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return map;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (long.TryParse(property.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var from)
                && property.Value.ValueKind == JsonValueKind.Number
                && property.Value.TryGetInt64(out var to))
            {
                map[from] = to;
            }
        }

        return map;
    }
}
