using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>Writes header fields as tokens, folding before a token that would pass 78 columns.</summary>
internal sealed class HeaderWriter
{
    private const int FoldColumn = 78;
    private readonly MemoryStream _out;
    private int _column;
    private bool _hasToken;

    public HeaderWriter(MemoryStream output) => _out = output;

    public void Begin(string name)
    {
        WriteRaw(name + ":");
        _column = name.Length + 1;
        _hasToken = false;
    }

    public void Token(string token)
    {
        int length = Encoding.UTF8.GetByteCount(token);
        if (_hasToken && _column + 1 + length > FoldColumn)
        {
            WriteRaw("\r\n ");
            _column = 1;
        }
        else
        {
            WriteRaw(" ");
            _column++;
        }

        WriteRaw(token);
        _column += length;
        _hasToken = true;
    }

    public void End() => WriteRaw("\r\n");

    /// <summary>A field holding free text (Subject and the like): encoded words when needed, folded at spaces.</summary>
    public void Unstructured(string name, string value)
    {
        // Surrounding white space is not part of a field value (parsers trim it), so do not encode it.
        value = Sanitize(value).Trim();
        Begin(name);
        // A word too long to fit on a line is encoded too: encoded words can be split, words cannot.
        if (EncodedWordEncoder.NeedsEncoding(value) || HasLongWord(value))
        {
            foreach (var w in EncodedWordEncoder.Encode(value, 78 - _column - 1))
            {
                Token(w);
            }
        }
        else
        {
            foreach (var w in value.Split(' '))
            {
                Token(w);
            }
        }

        End();
    }

    /// <summary>An address-list field.</summary>
    public void Addresses(string name, IEnumerable<MailboxAddress> list)
    {
        Begin(name);
        var items = list.ToList();
        for (int i = 0; i < items.Count; i++)
        {
            var m = items[i];
            string suffix = i < items.Count - 1 ? "," : string.Empty;
            if (m.Name is null)
            {
                Token(m.Address + suffix);
                continue;
            }

            // A quoted string is one token that cannot be folded: a long one goes as encoded words.
            var formatted = AddressFormatter.FormatPhrase(m.Name);
            if (EncodedWordEncoder.NeedsEncoding(m.Name) || HasLongWord(formatted) || (formatted[0] == '"' && formatted.Length > 60))
            {
                foreach (var w in EncodedWordEncoder.Encode(m.Name, 78 - _column - 1))
                {
                    Token(w);
                }
            }
            else
            {
                var phrase = formatted;
                if (phrase[0] == '"')
                {
                    Token(phrase);
                }
                else
                {
                    foreach (var w in phrase.Split(' '))
                    {
                        Token(w);
                    }
                }
            }

            Token("<" + m.Address + ">" + suffix);
        }

        End();
    }

    private static bool HasLongWord(string value)
    {
        foreach (var word in value.Split(' '))
        {
            if (word.Length > 60)
            {
                return true;
            }
        }

        return false;
    }

    public void Simple(string name, string value)
    {
        Begin(name);
        foreach (var w in Sanitize(value).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Token(w);
        }

        End();
    }

    public void WriteRaw(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        _out.Write(bytes);
    }

    /// <summary>Line breaks in a value would start a new field (header injection): make them spaces.</summary>
    public static string Sanitize(string value) =>
        value.AsSpan().ContainsAny('\r', '\n') ? value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ') : value;
}
