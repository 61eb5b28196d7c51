using System.Globalization;

namespace Butterfly.Server.Configuration;

/// <summary>Sizes as people write them: bytes, or a whole number with K, M or G (powers of 1024).</summary>
public static class ByteSize
{
    /// <summary>Parses <c>123</c>, <c>500K</c>, <c>10M</c>, <c>2G</c> (case-insensitive, an optional trailing B).</summary>
    /// <param name="text">The size.</param>
    /// <param name="bytes">The number of bytes.</param>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var value = text?.Trim() ?? string.Empty;
        if (value.EndsWith("b", StringComparison.OrdinalIgnoreCase) && value.Length > 1 && char.IsLetter(value[^2]))
        {
            value = value[..^1];
        }

        var shift = value.Length == 0 ? 0 : char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        if (shift > 0)
        {
            value = value[..^1];
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = number << shift;
        return true;
    }

    /// <summary>A size for people: <c>512 B</c>, <c>1.5 MiB</c>.</summary>
    /// <param name="bytes">The number of bytes.</param>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
