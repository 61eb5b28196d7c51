using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Butterfly.Server.Configuration;

/// <summary>
/// Checks a configuration file against the options type it is bound to, before binding: JSON syntax (with
/// line and column), unknown and duplicate keys, and value types. The binder alone ignores a key it does not
/// know, so <c>"lisen"</c> would silently leave the default. The expected shape is read from the options
/// classes (their public settable properties, with their nullability), so a new option needs no edit here.
/// </summary>
/// <remarks>
/// Keys are matched case-insensitively, like the binder. A dictionary property (such as <c>peers</c>, keyed by
/// domain) accepts any key; its values are checked. The first problem in file order is reported, in one line:
/// <c>FILE:LINE:COLUMN: what is wrong</c>.
/// </remarks>
internal sealed class ConfigurationFileChecker
{
    // The configuration system's JSON reader allows comments and trailing commas; files it read must still load.
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly Dictionary<Type, (decimal Min, decimal Max)> WholeNumbers = new()
    {
        [typeof(sbyte)] = (sbyte.MinValue, sbyte.MaxValue),
        [typeof(byte)] = (byte.MinValue, byte.MaxValue),
        [typeof(short)] = (short.MinValue, short.MaxValue),
        [typeof(ushort)] = (ushort.MinValue, ushort.MaxValue),
        [typeof(int)] = (int.MinValue, int.MaxValue),
        [typeof(uint)] = (uint.MinValue, uint.MaxValue),
        [typeof(long)] = (long.MinValue, long.MaxValue),
        [typeof(ulong)] = (ulong.MinValue, ulong.MaxValue),
    };

    private readonly NullabilityInfoContext _nullability = new();
    private readonly string _file;
    private readonly ReadOnlyMemory<byte> _json;
    private readonly IReadOnlyCollection<string> _notFromFile;

    private ConfigurationFileChecker(string file, ReadOnlyMemory<byte> json, IReadOnlyCollection<string> notFromFile)
    {
        _file = file;
        _json = json;
        _notFromFile = notFromFile;
    }

    /// <summary>Checks <paramref name="json"/> (the file's bytes) against <paramref name="rootType"/>.</summary>
    /// <param name="file">The file's path, for messages.</param>
    /// <param name="json">The file's content, UTF-8, with or without a byte-order mark.</param>
    /// <param name="rootType">The options type the top-level object binds to.</param>
    /// <param name="notFromFile">Properties of <paramref name="rootType"/> the loader sets itself; keys naming them are unknown.</param>
    /// <exception cref="ConfigurationException">The first problem found.</exception>
    public static void Check(string file, ReadOnlyMemory<byte> json, Type rootType, IReadOnlyCollection<string> notFromFile)
    {
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        new ConfigurationFileChecker(file, json, notFromFile).CheckDocument(rootType);
    }

    private void CheckDocument(Type rootType)
    {
        var reader = new Utf8JsonReader(_json.Span, ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fail(reader.TokenStartIndex, $"expected an object at the top level, got {Describe(ref reader)}.");
            }

            CheckMembers(ref reader, path: string.Empty, Properties(rootType, root: true));

            // Anything after the closing brace other than whitespace and comments makes the reader throw.
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            throw SyntaxError(ex);
        }
    }

    /// <summary>Checks the value the reader is on; leaves the reader on the value's last token.</summary>
    private void CheckValue(ref Utf8JsonReader reader, Type type, NullabilityInfo? nullability, string path)
    {
        var start = reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (AllowsNull(type, nullability))
            {
                return;
            }

            throw WrongType(ref reader, type, path);
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            Expect(ref reader, JsonTokenType.String, type, path);
        }
        else if (type == typeof(bool))
        {
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
            {
                throw WrongType(ref reader, type, path);
            }
        }
        else if (type.IsEnum)
        {
            Expect(ref reader, JsonTokenType.String, type, path);
            var name = reader.GetString();
            if (!Enum.GetNames(type).Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw WrongType(ref reader, type, path);
            }
        }
        else if (WholeNumbers.TryGetValue(type, out var range))
        {
            Expect(ref reader, JsonTokenType.Number, type, path);

            // The binder reads digits only: 1.0 and 1e3 are refused like 1.5.
            if (reader.ValueSpan.IndexOfAny(".eE"u8) >= 0)
            {
                throw WrongType(ref reader, type, path);
            }

            if (!reader.TryGetDecimal(out var value) || value < range.Min || value > range.Max)
            {
                throw Fail(start, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Printable(path)}: expected a whole number from {range.Min} to {range.Max}, got {Describe(ref reader)}."));
            }
        }
        else if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            Expect(ref reader, JsonTokenType.Number, type, path);
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            Expect(ref reader, JsonTokenType.StartObject, type, path);
            CheckMembers(ref reader, path, properties: null, valueType, TypeArgument(nullability, 1, 2));
        }
        else if (ElementType(type) is { } elementType)
        {
            Expect(ref reader, JsonTokenType.StartArray, type, path);
            var elementNullability = type.IsArray ? nullability?.ElementType : TypeArgument(nullability, 0, 1);
            for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
            {
                CheckValue(ref reader, elementType, elementNullability, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"));
            }
        }
        else if (IsTextConvertible(type))
        {
            Expect(ref reader, JsonTokenType.String, type, path);
            if (!TryConvert(type, reader.GetString()!))
            {
                throw WrongType(ref reader, type, path);
            }
        }
        else
        {
            Expect(ref reader, JsonTokenType.StartObject, type, path);
            CheckMembers(ref reader, path, Properties(type, root: false));
        }
    }

    /// <summary>
    /// An object: an options class (<paramref name="properties"/>: each key must name a settable property), or a
    /// dictionary (null properties: the keys are the user's, such as domains or log categories, and each value is
    /// a <paramref name="valueType"/>).
    /// </summary>
    private void CheckMembers(
        ref Utf8JsonReader reader,
        string path,
        Dictionary<string, PropertyInfo>? properties,
        Type? valueType = null,
        NullabilityInfo? valueNullability = null)
    {
        var seen = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var keyStart = reader.TokenStartIndex;
            var key = reader.GetString()!;
            var keyPath = Join(path, key);
            CheckUnique(seen, key, keyStart, keyPath);
            var type = valueType!;
            var nullability = valueNullability;
            if (properties is not null)
            {
                if (!properties.TryGetValue(key, out var property))
                {
                    var suggestion = EditDistance.Closest(key, properties.Keys);
                    throw Fail(keyStart, suggestion is null
                        ? $"unknown key '{Printable(keyPath)}' (known here: {string.Join(", ", properties.Keys)})."
                        : $"unknown key '{Printable(keyPath)}'; did you mean '{Printable(Join(path, suggestion))}'?");
                }

                type = property.PropertyType;
                nullability = _nullability.Create(property);
            }

            reader.Read();
            CheckValue(ref reader, type, nullability, keyPath);
        }
    }

    // The configuration system folds keys case-insensitively, so "Listen" and "listen" are one key given twice.
    private void CheckUnique(Dictionary<string, long> seen, string key, long keyStart, string keyPath)
    {
        if (!seen.TryAdd(key, keyStart))
        {
            var (line, column) = Position(seen[key]);
            throw Fail(keyStart, string.Create(
                CultureInfo.InvariantCulture,
                $"duplicate key '{Printable(keyPath)}' (keys are case-insensitive; first given at {line}:{column})."));
        }
    }

    private Dictionary<string, PropertyInfo> Properties(Type type, bool root)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true }
                || property.GetIndexParameters().Length > 0
                || (root && _notFromFile.Contains(property.Name)))
            {
                continue;
            }

            // The binder looks a property up by [ConfigurationKeyName] when it has one, else by its name.
            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            properties[key] = property;
        }

        return properties;
    }

    private static bool AllowsNull(Type type, NullabilityInfo? nullability) =>
        Nullable.GetUnderlyingType(type) is not null
        || (!type.IsValueType && nullability?.WriteState != NullabilityState.NotNull);

    private static NullabilityInfo? TypeArgument(NullabilityInfo? nullability, int index, int count) =>
        nullability?.GenericTypeArguments.Length == count ? nullability.GenericTypeArguments[index] : null;

    private static Type? DictionaryValueType(Type type)
    {
        foreach (var candidate in (Type[])[type, .. type.GetInterfaces()])
        {
            if (candidate.IsGenericType
                && candidate.GetGenericArguments() is [var key, var value]
                && key == typeof(string)
                && candidate.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>)))
            {
                return value;
            }
        }

        return null;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        foreach (var candidate in (Type[])[type, .. type.GetInterfaces()])
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                return candidate.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static bool IsTextConvertible(Type type) => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static bool TryConvert(Type type, string text)
    {
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text) is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        if (WholeNumbers.ContainsKey(type))
        {
            return "a whole number";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (DictionaryValueType(type) is not null)
        {
            return "an object";
        }

        if (ElementType(type) is not null)
        {
            return "an array";
        }

        return IsTextConvertible(type) ? $"a string holding a {type.Name}" : "an object";
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => Quote(reader.GetString()!),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
    };

    private static string Quote(string text)
    {
        const int Longest = 40;
        var shown = text.Length > Longest ? text[..Longest] + "..." : text;
        return "\"" + Printable(shown) + "\"";
    }

    // Keeps the message on one line whatever the file holds: control characters come out escaped.
    private static string Printable(string text) =>
        text.Any(char.IsControl) ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(text) : text;

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private void Expect(ref Utf8JsonReader reader, JsonTokenType token, Type type, string path)
    {
        if (reader.TokenType != token)
        {
            throw WrongType(ref reader, type, path);
        }
    }

    private ConfigurationException WrongType(ref Utf8JsonReader reader, Type type, string path) =>
        Fail(reader.TokenStartIndex, $"{Printable(path)}: expected {Expected(type)}, got {Describe(ref reader)}.");

    private ConfigurationException SyntaxError(JsonException ex)
    {
        // The reader's message ends in " LineNumber: 6 | BytePositionInLine: 14."; the position goes in front instead.
        var message = ex.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            message = message[..suffix];
        }

        var line = (int)(ex.LineNumber ?? 0);
        var lineStart = 0;
        var json = _json.Span;
        for (var i = 0; i < line; i++)
        {
            lineStart += json[lineStart..].IndexOf((byte)'\n') + 1;
        }

        var bytesIn = (int)Math.Min(ex.BytePositionInLine ?? 0, json.Length - lineStart);
        var column = CountCharacters(json.Slice(lineStart, bytesIn)) + 1;
        return new ConfigurationException(
            string.Create(CultureInfo.InvariantCulture, $"{_file}:{line + 1}:{column}: {message.ReplaceLineEndings(" ")}"),
            ex);
    }

    private ConfigurationException Fail(long offset, string message)
    {
        var (line, column) = Position(offset);
        return new ConfigurationException(string.Create(CultureInfo.InvariantCulture, $"{_file}:{line}:{column}: {message}"));
    }

    /// <summary>Line and column (both from 1, columns in characters) of a byte offset.</summary>
    private (int Line, int Column) Position(long offset)
    {
        var before = _json.Span[..(int)offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, CountCharacters(before[lineStart..]) + 1);
    }

    // UTF-8: every byte but a continuation byte (10xxxxxx) starts a character.
    private static int CountCharacters(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }
}
