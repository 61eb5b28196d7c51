using System.Text;
using System.Text.Encodings.Web;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// JSON escaping for text people and scripts read: only what JSON requires is escaped (quote,
/// backslash, control characters); every other character, emoji included, is written as itself.
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> would still write characters outside
/// the Basic Multilingual Plane as <c>\uD83E\uDD8B</c>, so "é" and "🦋" would come out differently.
/// </summary>
internal sealed class JsonTextEncoder : JavaScriptEncoder
{
    private JsonTextEncoder()
    {
    }

    public static JsonTextEncoder Instance { get; } = new();

    /// <summary>The longest escape, <c>\uXXXX</c>.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar is '"' or '\\';

    // The abstract members TextEncoder declares take pointers; these only wrap them in spans.
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || WillEncode(c))
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var output = new Span<char>(buffer, bufferLength);
        if (!WillEncode(unicodeScalar) && Rune.IsValid(unicodeScalar))
        {
            return new Rune(unicodeScalar).TryEncodeToUtf16(output, out numberOfCharactersWritten);
        }

        var escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => $"\\u{unicodeScalar:X4}",
        };
        if (!escaped.AsSpan().TryCopyTo(output))
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        numberOfCharactersWritten = escaped.Length;
        return true;
    }
}
