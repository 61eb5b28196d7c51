using System.Text;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Edits a message's header block as bytes, so the body and the fields it does not touch reach the
/// store exactly as submitted: drop fields (Bcc on submission) and prepend fields (trace, Date,
/// Message-ID). Field boundaries follow RFC 5322 §2.2.3: a line starting with white space continues
/// the field before it.
/// </summary>
internal static class RawHeaders
{
    /// <summary>The line ending the message itself uses, so added fields match it.</summary>
    /// <param name="message">The raw message.</param>
    public static string LineEnding(ReadOnlySpan<byte> message)
    {
        var lf = message.IndexOf((byte)'\n');
        return lf > 0 && message[lf - 1] == '\r' ? "\r\n" : lf >= 0 ? "\n" : "\r\n";
    }

    /// <summary>Returns the message with <paramref name="prepend"/> before it and every field named in <paramref name="drop"/> removed.</summary>
    /// <param name="message">The raw message.</param>
    /// <param name="prepend">Complete field lines, each with its line ending, to put first.</param>
    /// <param name="drop">Field names to remove (case-insensitive).</param>
    public static byte[] Rewrite(ReadOnlySpan<byte> message, string prepend, IReadOnlyCollection<string> drop)
    {
        var added = Encoding.UTF8.GetBytes(prepend);
        var output = new List<(int Start, int Length)>();
        var headerEnd = HeaderBlockLength(message);
        var position = 0;
        var keep = true;
        var keptStart = 0;
        while (position < headerEnd)
        {
            var lineEnd = message[position..headerEnd].IndexOf((byte)'\n');
            var next = lineEnd < 0 ? headerEnd : position + lineEnd + 1;
            var line = message[position..next];
            var continuation = line.Length > 0 && (line[0] == ' ' || line[0] == '\t');
            if (!continuation)
            {
                var dropThis = drop.Count > 0 && IsNamed(line, drop);
                if (dropThis != !keep)
                {
                    if (keep)
                    {
                        output.Add((keptStart, position - keptStart));
                    }
                    else
                    {
                        keptStart = position;
                    }

                    keep = !dropThis;
                }
            }

            position = next;
        }

        if (keep)
        {
            output.Add((keptStart, position - keptStart));
        }

        var total = added.Length + output.Sum(r => r.Length) + (message.Length - headerEnd);
        var result = new byte[total];
        added.CopyTo(result, 0);
        var at = added.Length;
        foreach (var (start, length) in output)
        {
            message.Slice(start, length).CopyTo(result.AsSpan(at));
            at += length;
        }

        message[headerEnd..].CopyTo(result.AsSpan(at));
        return result;
    }

    /// <summary>Length of the header block up to (not including) the blank line that ends it.</summary>
    /// <param name="message">The raw message.</param>
    public static int HeaderBlockLength(ReadOnlySpan<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            if (message[position] == '\n' || (message[position] == '\r' && position + 1 < message.Length && message[position + 1] == '\n'))
            {
                return position;
            }

            var lf = message[position..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                return message.Length;
            }

            position += lf + 1;
        }

        return message.Length;
    }

    /// <summary>True when the header block has a field with this name.</summary>
    /// <param name="message">The raw message.</param>
    /// <param name="name">The field name.</param>
    public static bool HasField(ReadOnlySpan<byte> message, string name)
    {
        var headerEnd = HeaderBlockLength(message);
        var position = 0;
        string[] names = [name];
        while (position < headerEnd)
        {
            var lf = message[position..headerEnd].IndexOf((byte)'\n');
            var next = lf < 0 ? headerEnd : position + lf + 1;
            if (IsNamed(message[position..next], names))
            {
                return true;
            }

            position = next;
        }

        return false;
    }

    private static bool IsNamed(ReadOnlySpan<byte> line, IReadOnlyCollection<string> names)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var fieldName = line[..colon].TrimEnd((byte)' ');
        foreach (var name in names)
        {
            if (fieldName.Length == name.Length && Ascii.EqualsIgnoreCase(fieldName, Encoding.ASCII.GetBytes(name)))
            {
                return true;
            }
        }

        return false;
    }
}
