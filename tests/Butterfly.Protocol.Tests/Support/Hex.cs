using System.Text;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>Hex text as used by the vector and regression files: whitespace and <c>|</c> ignored, <c>#</c> starts a comment line.</summary>
internal static class Hex
{
    public static byte[] Parse(string text)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (var c in line)
            {
                if (!char.IsWhiteSpace(c) && c != '|')
                {
                    digits.Append(c);
                }
            }
        }

        return Convert.FromHexString(digits.ToString());
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
