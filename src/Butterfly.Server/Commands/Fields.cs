using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>Reads request fields; a missing or ill-typed field is a <c>request.invalid</c> reply naming it.</summary>
internal static class Fields
{
    /// <summary>The most ids one request may name.</summary>
    public const int MaxIds = 10_000;

    public static Reply Invalid(string field, string expected) =>
        Reply.Fail(ErrorCode.RequestInvalid, $"Field \"{field}\" must be {expected}.");

    public static bool TryString(JsonElement head, string name, out string value, out Reply error, bool required = true, string? fallback = null)
    {
        error = default;
        value = fallback ?? string.Empty;
        if (!head.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (!required || fallback is not null)
            {
                return true;
            }

            error = Invalid(name, "a string");
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = Invalid(name, "a string");
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    public static bool TryBool(JsonElement head, string name, out bool value, out Reply error)
    {
        error = default;
        value = false;
        if (!head.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = Invalid(name, "true or false");
            return false;
        }

        value = element.GetBoolean();
        return true;
    }

    public static bool TryLong(JsonElement head, string name, out long? value, out Reply error, long min = 1, long max = long.MaxValue)
    {
        error = default;
        value = null;
        if (!head.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number) || number < min || number > max)
        {
            error = Invalid(name, $"a whole number from {min} to {max}");
            return false;
        }

        value = number;
        return true;
    }

    public static bool TryIds(JsonElement head, out IReadOnlyList<long> ids, out Reply error)
    {
        ids = [];
        error = Invalid("ids", $"a list of 1 to {MaxIds:N0} message ids");
        if (!head.TryGetProperty("ids", out var element) || element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var count = element.GetArrayLength();
        if (count is 0 or > MaxIds)
        {
            return false;
        }

        var list = new List<long>(count);
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id) || id < 1)
            {
                return false;
            }

            list.Add(id);
        }

        ids = list.Distinct().ToList();
        error = default;
        return true;
    }

    public static bool TryStrings(JsonElement head, string name, int max, out IReadOnlyList<string> values, out Reply error)
    {
        values = [];
        error = default;
        if (!head.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        error = Invalid(name, $"a list of at most {max:N0} strings");
        if (element.ValueKind == JsonValueKind.String)
        {
            values = [element.GetString()!];
            error = default;
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > max)
        {
            return false;
        }

        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        values = list;
        error = default;
        return true;
    }
}
