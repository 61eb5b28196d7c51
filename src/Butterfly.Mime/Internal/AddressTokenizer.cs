using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>Splits an address list into atoms, quoted strings, comments, domain literals and specials.</summary>
internal static class AddressTokenizer
{
    private const string Specials = "<>:;@,.";

    public static List<AddressToken> Tokenize(string s)
    {
        var tokens = new List<AddressToken>();
        bool space = false;
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                space = true;
                i++;
                continue;
            }

            switch (c)
            {
                case '(':
                    tokens.Add(new AddressToken(AddressTokenKind.Comment, ReadDelimited(s, ref i, '(', ')', nested: true), space));
                    break;
                case '"':
                    if (s.IndexOf('"', i + 1) < 0)
                    {
                        // An unterminated quote: drop the quote character and read on.
                        i++;
                        continue;
                    }

                    tokens.Add(new AddressToken(AddressTokenKind.Quoted, ReadDelimited(s, ref i, '"', '"', nested: false), space));
                    break;
                case '[':
                    tokens.Add(new AddressToken(AddressTokenKind.DomainLiteral, "[" + ReadDelimited(s, ref i, '[', ']', nested: false) + "]", space));
                    break;
                case ')' or ']' or '\\':
                    i++;
                    break;
                default:
                    if (Specials.Contains(c, StringComparison.Ordinal))
                    {
                        tokens.Add(new AddressToken(AddressTokenKind.Special, c.ToString(), space));
                        i++;
                    }
                    else if (EncodedWordLength(s, i) is > 0 and var length)
                    {
                        // An encoded word is one atom even when broken senders put specials in it ("=?utf-8?Q?Doe,_J?=").
                        tokens.Add(new AddressToken(AddressTokenKind.Atom, s.Substring(i, length), space));
                        i += length;
                    }
                    else
                    {
                        int start = i;
                        while (i < s.Length && !char.IsWhiteSpace(s[i]) && !Specials.Contains(s[i], StringComparison.Ordinal) && s[i] is not ('(' or '"' or '[' or ')' or ']'))
                        {
                            i++;
                        }

                        tokens.Add(new AddressToken(AddressTokenKind.Atom, s[start..i], space));
                    }

                    break;
            }

            space = false;
        }

        return tokens;
    }

    /// <summary>The length of an encoded word "=?cs?e?text?=" starting at <paramref name="i"/>, or 0.</summary>
    private static int EncodedWordLength(string s, int i)
    {
        if (s[i] != '=' || i + 1 >= s.Length || s[i + 1] != '?')
        {
            return 0;
        }

        int q1 = s.IndexOf('?', i + 2, Math.Min(s.Length - i - 2, 66));
        if (q1 < 0 || q1 + 2 >= s.Length || s[q1 + 2] != '?' || (s[q1 + 1] | 0x20) is not ('b' or 'q'))
        {
            return 0;
        }

        var window = s.AsSpan(q1 + 3, Math.Min(s.Length - q1 - 3, 1024));
        for (int k = 0; k + 1 < window.Length; k++)
        {
            char c = window[k];
            if (char.IsWhiteSpace(c) || c is '<' or '>' or '"')
            {
                return 0;
            }

            if (c == '?' && window[k + 1] == '=')
            {
                return q1 + 3 + k + 2 - i;
            }
        }

        return 0;
    }

    /// <summary>Reads from the opening character to its match, unescaping quoted pairs.</summary>
    private static string ReadDelimited(string s, ref int i, char open, char close, bool nested)
    {
        var sb = new StringBuilder();
        int depth = 0;
        i++;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < s.Length)
            {
                sb.Append(s[i + 1]);
                i += 2;
                continue;
            }

            if (nested && c == open)
            {
                depth++;
            }
            else if (c == close)
            {
                if (depth == 0)
                {
                    i++;
                    return sb.ToString();
                }

                depth--;
            }

            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }
}
