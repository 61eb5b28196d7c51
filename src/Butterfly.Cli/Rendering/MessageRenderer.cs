using System.Text;

namespace Butterfly.Cli.Rendering;

/// <summary>
/// Turns a raw RFC 5322 message into what <c>butterfly read</c> shows: the From, To, Cc, Subject
/// and Date fields and the body. For now the body is shown as received; swap <see cref="Render"/>
/// for the MIME library's text extraction to decode parts and encodings.
/// </summary>
internal static class MessageRenderer
{
    private static readonly string[] _shownFields = ["From", "To", "Cc", "Subject", "Date"];

    /// <summary>The readable view of a message.</summary>
    public static string Render(byte[] raw)
    {
        var (fields, body) = Split(raw);
        var text = new StringBuilder();
        foreach (var name in _shownFields)
        {
            if (fields.TryGetValue(name, out var value))
            {
                text.Append(name).Append(": ").AppendLine(value);
            }
        }

        text.AppendLine();
        text.Append(body);
        if (body.Length > 0 && body[^1] != '\n')
        {
            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The shown header fields (unfolded; the first of each name) and the body text.</summary>
    public static (IReadOnlyDictionary<string, string> Fields, string Body) Split(byte[] raw)
    {
        var bodyStart = FindBodyStart(raw, out var headerEnd);
        var header = Encoding.UTF8.GetString(raw, 0, headerEnd);
        var body = Encoding.UTF8.GetString(raw, bodyStart, raw.Length - bodyStart).Replace("\r\n", "\n", StringComparison.Ordinal);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        var value = new StringBuilder();
        foreach (var line in header.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                // A folded continuation (RFC 5322 section 2.2.3).
                value.Append(' ').Append(line.Trim());
                continue;
            }

            Flush(fields, name, value);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            name = colon > 0 ? line[..colon].Trim() : null;
            value.Clear();
            if (name is not null)
            {
                value.Append(line[(colon + 1)..].Trim());
            }
        }

        Flush(fields, name, value);
        var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in _shownFields)
        {
            if (fields.TryGetValue(field, out var v))
            {
                shown[field] = v;
            }
        }

        return (shown, body);
    }

    private static void Flush(Dictionary<string, string> fields, string? name, StringBuilder value)
    {
        if (name is not null)
        {
            fields.TryAdd(name, value.ToString());
        }
    }

    /// <summary>Finds the empty line after the header; a message without one is all header.</summary>
    private static int FindBodyStart(byte[] raw, out int headerEnd)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\n')
            {
                continue;
            }

            if (i + 1 < raw.Length && raw[i + 1] == '\n')
            {
                headerEnd = i;
                return i + 2;
            }

            if (i + 2 < raw.Length && raw[i + 1] == '\r' && raw[i + 2] == '\n')
            {
                headerEnd = i;
                return i + 3;
            }
        }

        headerEnd = raw.Length;
        return raw.Length;
    }
}
