using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Butterfly.Protocol.Tests.Support;

namespace Butterfly.Protocol.Tests.Fuzzing;

/// <summary>The saved inputs in TestData/fuzz-regressions: one hex file each, replayed by every test run.</summary>
internal static class FuzzRegressions
{
    public static IReadOnlyList<string> Files() =>
        Directory.Exists(RepoPaths.FuzzRegressions)
            ? [.. Directory.GetFiles(RepoPaths.FuzzRegressions, "*.hex").Order(StringComparer.Ordinal)]
            : [];

    public static byte[] Read(string path) => Hex.Parse(File.ReadAllText(path));

    /// <summary>Saves a failing input, named after its hash so the same input is saved once.</summary>
    public static string Save(byte[] input, Exception failure, int seed)
    {
        Directory.CreateDirectory(RepoPaths.FuzzRegressions);
        var name = "fuzz-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".hex";
        var path = Path.Combine(RepoPaths.FuzzRegressions, name);
        var text = new StringBuilder()
            .Append("# ").Append(failure.GetType().Name).Append(": ").AppendLine(FirstLine(failure.Message))
            .Append("# found by FrameFuzzTests, seed ").Append(seed.ToString(CultureInfo.InvariantCulture))
            .Append(", ").AppendLine(DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture));
        for (var i = 0; i < input.Length; i += 32)
        {
            text.AppendLine(Hex.Format(input.AsSpan(i, Math.Min(32, input.Length - i))));
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).TrimEnd('\r');
    }
}
