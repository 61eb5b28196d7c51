using System.Text;
using Butterfly.Mime;

namespace Butterfly.Server.Mail;

/// <summary>
/// Edits a message's header block as bytes, so the body and the fields it does not touch reach the
/// store exactly as submitted: drop fields (Bcc on submission) and prepend fields (trace, Date,
/// Message-ID). Field boundaries come from the parser's offsets; nothing here scans headers again.
/// </summary>
internal static class RawHeaders
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The line ending the message itself uses, so added fields match it.</summary>
    /// <param name="message">The raw message.</param>
    public static string LineEnding(ReadOnlySpan<byte> message)
    {
        var lf = message.IndexOf((byte)'\n');
        return lf > 0 && message[lf - 1] == '\r' ? "\r\n" : lf >= 0 ? "\n" : "\r\n";
    }

    /// <summary>
    /// Returns the message with <paramref name="prepend"/> before it and every top-level field named in
    /// <paramref name="drop"/> removed, folded continuation lines and line break included. A
    /// byte-order mark before the first field goes: after the prepended fields it would sit inside
    /// the header block and hide the field it stuck to.
    /// </summary>
    /// <param name="message">The raw message, the same bytes <paramref name="parsed"/> was parsed from.</param>
    /// <param name="parsed">The parsed message, for the fields' offsets.</param>
    /// <param name="prepend">Complete field lines, each with its line ending, to put first.</param>
    /// <param name="drop">Field names to remove (case-insensitive); none when empty.</param>
    public static byte[] Rewrite(ReadOnlySpan<byte> message, MimeMessage parsed, string prepend, IReadOnlyList<string> drop)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(drop);
        var dropped = new List<(int Start, int End)>();
        if (drop.Count > 0)
        {
            foreach (var header in parsed.Headers)
            {
                if (drop.Any(header.Is))
                {
                    dropped.Add((header.Offset, FieldEnd(message, header)));
                }
            }
        }

        var kept = message.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        var added = Encoding.UTF8.GetBytes(prepend);
        var result = new byte[added.Length + message.Length - kept - dropped.Sum(r => r.End - r.Start)];
        added.CopyTo(result, 0);
        var at = added.Length;
        foreach (var (start, end) in dropped)
        {
            message[kept..start].CopyTo(result.AsSpan(at));
            at += start - kept;
            kept = end;
        }

        message[kept..].CopyTo(result.AsSpan(at));
        return result;
    }

    /// <summary>The position after the line break that ends <paramref name="header"/> (CRLF or bare LF).</summary>
    /// <param name="message">The raw message the header was parsed from.</param>
    /// <param name="header">A top-level field of it.</param>
    public static int FieldEnd(ReadOnlySpan<byte> message, Header header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var end = header.Offset + header.RawField.Length;
        if (end < message.Length && message[end] == '\r')
        {
            end++;
        }

        if (end < message.Length && message[end] == '\n')
        {
            end++;
        }

        return end;
    }
}
