using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Filters;

/// <summary>
/// Applies a verdict's header edits to the raw message (protocol/filter.md, "Header edits"). Field
/// boundaries come from the parser's offsets, as in <c>RawHeaders</c>, so the body and the untouched
/// fields stay byte for byte; a folded field is edited or removed with all its continuation lines.
/// Added fields use the message's own line ending.
/// </summary>
internal static class HeaderEditor
{
    /// <summary>Applies <paramref name="ops"/> in order; null when the message cannot be parsed.</summary>
    /// <param name="message">The raw message.</param>
    /// <param name="ops">The edits.</param>
    /// <param name="options">Parser limits.</param>
    public static byte[]? Apply(ReadOnlyMemory<byte> message, IReadOnlyList<HeaderOp> ops, ParserOptions options)
    {
        var current = message.ToArray();
        foreach (var op in ops)
        {
            if (MimeMessage.TryParse(current, options, out var parsed) != MimeError.None || parsed is null)
            {
                return null;
            }

            current = Apply(current, parsed, op);
        }

        return current;
    }

    /// <summary>Applies one edit to <paramref name="message"/>, which <paramref name="parsed"/> was parsed from.</summary>
    public static byte[] Apply(byte[] message, MimeMessage parsed, HeaderOp op)
    {
        var newline = RawHeaders.LineEnding(message);
        var field = op.Value is null ? [] : Encoding.UTF8.GetBytes(op.Name + ": " + op.Value + newline);
        var header = op.Op == "add" ? null : Occurrence(parsed, op.Name, op.Index);
        if (header is null)
        {
            // "change" of an absent occurrence adds the field; "delete" of one does nothing.
            return op.Op == "delete" ? message : [.. field, .. message];
        }

        var start = header.Offset;
        var end = RawHeaders.FieldEnd(message, header);
        var replacement = op.Op == "change" ? field : [];
        return [.. message.AsSpan(0, start), .. replacement, .. message.AsSpan(end)];
    }

    private static Header? Occurrence(MimeMessage parsed, string name, int index)
    {
        var seen = 0;
        foreach (var header in parsed.Headers)
        {
            if (header.Is(name) && ++seen == index)
            {
                return header;
            }
        }

        return null;
    }
}
