using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Butterfly.Server.Configuration;

/// <summary>
/// Every key of the options and the value in effect (from the file, the command line or the default),
/// flattened to paths as <c>butterfly.json</c> spells them. <c>butterfly config check</c> prints them, and
/// a reload compares the lists before and after to say what changed. The keys come from the options
/// classes, as <see cref="ConfigurationFileChecker"/> reads them, so a new option needs no edit here.
/// </summary>
public static class OptionValues
{
    // Set from where the file was found, never from its content.
    private static readonly string[] NotKeys = [nameof(ButterflyOptions.ConfigDirectory), nameof(ButterflyOptions.ConfigFile)];

    /// <summary>The keys of <paramref name="options"/> with their values, in declaration order.</summary>
    /// <param name="options">Loaded options.</param>
    public static IReadOnlyList<OptionValue> Of(ButterflyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var values = new List<OptionValue>();
        Walk(options, string.Empty, values, root: true);
        return values;
    }

    private static void Walk(object? value, string path, List<OptionValue> values, bool root = false)
    {
        if (value is null || IsScalar(value.GetType()))
        {
            values.Add(new OptionValue(path, Text(path, value)));
            return;
        }

        if (value is IDictionary dictionary)
        {
            if (dictionary.Count == 0)
            {
                values.Add(new OptionValue(path, "{}"));
            }

            foreach (var key in dictionary.Keys.Cast<object>().OrderBy(k => k.ToString(), StringComparer.Ordinal))
            {
                Walk(dictionary[key], Join(path, key.ToString()!), values);
            }

            return;
        }

        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                Walk(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), values);
            }

            if (index == 0)
            {
                values.Add(new OptionValue(path, "[]"));
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true }
                || property.GetIndexParameters().Length > 0
                || (root && NotKeys.Contains(property.Name)))
            {
                continue;
            }

            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            Walk(property.GetValue(value), Join(path, key), values);
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan);
    }

    private static string Text(string path, object? value)
    {
        var leaf = path[(path.LastIndexOf('.') + 1)..];
        // A connection string may hold a password (store.connectionString): never logged either.
        if (value is not null && (leaf.Contains("secret", StringComparison.OrdinalIgnoreCase) || leaf.Contains("password", StringComparison.OrdinalIgnoreCase)
            || leaf.Contains("connectionString", StringComparison.OrdinalIgnoreCase)))
        {
            return "\"(set)\"";
        }

        return value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            string s => JsonSerializer.Serialize(s, OptionValueJson.Default.String),
            IFormattable f when value.GetType().IsEnum => "\"" + f.ToString(null, CultureInfo.InvariantCulture) + "\"",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => JsonSerializer.Serialize(value.ToString() ?? string.Empty, OptionValueJson.Default.String),
        };
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
