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
