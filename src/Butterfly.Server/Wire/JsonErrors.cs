using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Wire;

/// <summary>Tells a head that is nested too deeply from one that is not JSON at all, and finds text that is not Unicode.</summary>
internal static class JsonErrors
{
    /// <summary>Runs only on the error path: re-reads the head with a generous depth to see what failed.</summary>
    /// <param name="head">The head bytes.</param>
    /// <param name="maxDepth">The configured depth limit.</param>
    public static ErrorCode Classify(in ReadOnlySequence<byte> head, int maxDepth)
    {
        var reader = new Utf8JsonReader(head, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= maxDepth)
                {
                    return ErrorCode.RequestTooDeep;
                }
            }

            return ErrorCode.RequestMalformedJson;
        }
        catch (JsonException)
        {
            return ErrorCode.RequestMalformedJson;
        }
    }

    /// <summary>
    /// protocol/framing.md, "Head": the head is UTF-8 and its strings are Unicode text. Finds bytes
    /// that are not UTF-8, and <c>\u</c> escapes that leave a surrogate alone (<c>"\ud800"</c>), which
    /// the JSON parser accepts but no string can be read from. One pass, before the head is parsed.
    /// </summary>
    /// <param name="head">The head bytes.</param>
    /// <returns>What is wrong, for <c>request.malformed-json</c>, or null.</returns>
    public static string? TextProblem(ReadOnlySpan<byte> head)
    {
        if (!Utf8.IsValid(head))
        {
            return "The request head is not valid UTF-8.";
        }

        var inString = false;
        var pendingHigh = false;
        for (var i = 0; i < head.Length; i++)
        {
            var b = head[i];
            if (!inString)
            {
                inString = b == '"';
                continue;
            }

            var escapedSurrogate = b == '\\' && i + 5 < head.Length && head[i + 1] == 'u'
                && int.TryParse(head.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit)
                && unit is >= 0xD800 and <= 0xDFFF
                    ? unit
                    : -1;
            if (pendingHigh && escapedSurrogate is < 0xDC00)
            {
                return "The request head has a lone surrogate (a \\u escape of half a character).";
            }

            if (escapedSurrogate >= 0)
            {
                if (escapedSurrogate >= 0xDC00 && !pendingHigh)
                {
                    return "The request head has a lone surrogate (a \\u escape of half a character).";
                }

                pendingHigh = escapedSurrogate < 0xDC00;
                i += 5;
                continue;
            }

            if (b == '\\')
            {
                i++;
            }
            else if (b == '"')
            {
                inString = false;
            }
        }

        return pendingHigh ? "The request head has a lone surrogate (a \\u escape of half a character)." : null;
    }
}
