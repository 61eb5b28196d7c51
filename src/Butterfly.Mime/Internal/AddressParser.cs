using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>
/// A lenient RFC 5322 address-list parser: mailboxes, display names (atoms, quoted strings,
/// encoded words, obsolete dotted phrases), "addr (Name)" comments, groups (flattened), routes,
/// UTF-8 local parts. Garbage is skipped up to the next comma.
/// </summary>
internal static class AddressParser
{
    public static List<MailboxAddress> ParseList(string text)
    {
        var result = new List<MailboxAddress>();
        var tokens = AddressTokenizer.Tokenize(text);
        var phrase = new List<AddressToken>();
        int i = 0;
        while (i < tokens.Count)
        {
            var t = tokens[i];
            if (t.Kind == AddressTokenKind.Comment)
            {
                i++;
                continue;
            }

            if (t.IsSpecial('<'))
            {
                i = ParseAngle(tokens, i + 1, phrase, result);
                phrase.Clear();
                continue;
            }

            if (t.IsSpecial('@'))
            {
                if ((phrase.Count == 0 || t.SpaceBefore || !phrase[^1].IsWordLike) && SkipRoute(tokens, i) is > 0 and var afterRoute)
                {
                    // An obsolete route outside angle brackets ("@relay:user@example"; RFC 5322
                    // allows obs-route only in obs-angle-addr): drop it as in brackets, and the
                    // phrase before it, which cannot be a display name joined to what follows.
                    i = afterRoute;
                    phrase.Clear();
                    continue;
                }

                i = ParseAddrSpec(tokens, i, phrase, result);
                phrase.Clear();
                continue;
            }

            if (t.IsSpecial(':'))
            {
                // A group: the phrase was its name. Its members are listed like any others.
                phrase.Clear();
                i++;
                continue;
            }

            if (t.IsSpecial(',') || t.IsSpecial(';'))
            {
                if (phrase.Count > 0 && t.IsSpecial(',') && NextMailboxHasAngle(tokens, i + 1))
                {
                    // "Doe, John <j@example>": an unquoted comma inside a display name.
                    phrase.Add(t);
                }
                else
                {
                    FlushBare(phrase, result);
                    phrase.Clear();
                }

                i++;
                continue;
            }

            if (t.IsSpecial('>'))
            {
                i++;
                continue;
            }

            phrase.Add(t);
            i++;
        }

        FlushBare(phrase, result);
        return result;
    }

    private static bool NextMailboxHasAngle(List<AddressToken> tokens, int i)
    {
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSpecial('<'))
            {
                return true;
            }

            if (t.IsSpecial(',') || t.IsSpecial(';') || t.IsSpecial('@') || t.IsSpecial(':'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The index after an obsolete route "@domain *("," ["@" domain]) ":" starting at the "@" at
    /// <paramref name="at"/>, or 0 when the tokens there are not one.
    /// </summary>
    private static int SkipRoute(List<AddressToken> tokens, int at)
    {
        int i = at;
        while (i < tokens.Count && tokens[i].IsSpecial('@'))
        {
            int domainStart = ++i;
            while (i < tokens.Count && (tokens[i].Kind is AddressTokenKind.Atom or AddressTokenKind.DomainLiteral || tokens[i].IsSpecial('.')))
            {
                i++;
            }

            if (i == domainStart || i >= tokens.Count)
            {
                return 0;
            }

            if (tokens[i].IsSpecial(':'))
            {
                return i + 1;
            }

            if (!tokens[i].IsSpecial(','))
            {
                return 0;
            }

            while (i < tokens.Count && tokens[i].IsSpecial(','))
            {
                i++;
            }
        }

        return 0;
    }

    /// <summary>
    /// Adds a mailbox unless the address is empty once line breaks are removed or has nothing
    /// before its "@". An address with more than one "@" (a relay path such as
    /// "develop!x@ebony@sblab.att.com") is read as a mail system reads it: the last "@" starts
    /// the domain, and the local part before it is quoted, as RFC 5322 requires of one holding "@".
    /// </summary>
    private static void Add(List<MailboxAddress> result, string? name, string address)
    {
        if (address.AsSpan().ContainsAny('\r', '\n'))
        {
            address = address.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        }

        address = address.Trim();
        int at = address.IndexOf('@');
        if (at != address.LastIndexOf('@'))
        {
            at = LastAtOutsideQuotes(address, out bool several);
            if (several)
            {
                address = AddressFormatter.Quote(address[..at]) + address[at..];
            }
        }

        if (address.Length == 0 || at == 0)
        {
            return;
        }

        result.Add(new MailboxAddress(name, address));
    }

    /// <summary>The index of the last "@" outside quoted strings, or -1; <paramref name="several"/> tells whether there is more than one.</summary>
    private static int LastAtOutsideQuotes(string address, out bool several)
    {
        int last = -1, count = 0;
        bool quoted = false;
        for (int k = 0; k < address.Length; k++)
        {
            char c = address[k];
            if (c == '\\' && quoted)
            {
                k++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '@' && !quoted)
            {
                last = k;
                count++;
            }
        }

        several = count > 1;
        return last;
    }

    private static void FlushBare(List<AddressToken> phrase, List<MailboxAddress> result)
    {
        // A lone word with no "@" (a local-only address such as "postmaster").
        if (phrase.Count == 1 && phrase[0].Kind == AddressTokenKind.Atom)
        {
            Add(result, null, phrase[0].Text);
        }
    }

    private static int ParseAngle(List<AddressToken> tokens, int i, List<AddressToken> phrase, List<MailboxAddress> result)
    {
        var addr = new StringBuilder();
        int start = i;
        bool? closes = null;
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSpecial('>'))
            {
                i++;
                break;
            }

            if (t.IsSpecial(',') && !(closes ??= HasCloseAngle(tokens, i)))
            {
                break;
            }

            if (t.IsSpecial(':'))
            {
                // An obsolete route ("<@relay1,@relay2:user@example>"): drop it.
                addr.Clear();
                continue;
            }

            switch (t.Kind)
            {
                case AddressTokenKind.Comment:
                    break;
                case AddressTokenKind.Quoted:
                    addr.Append(LocalPartText(t.Text));
                    break;
                default:
                    addr.Append(t.Text);
                    break;
            }
        }

        // A route without a colon would leave "@relay,": keep the text after the last comma.
        var a = addr.ToString();
        int comma = a.LastIndexOf(',');
        if (comma >= 0 && start < i)
        {
            a = a[(comma + 1)..];
        }

        a = a.Trim();
        if (a.Length > 0)
        {
            Add(result, BuildName(phrase, 0, phrase.Count), a);
        }

        return i;
    }

    private static bool HasCloseAngle(List<AddressToken> tokens, int i)
    {
        for (; i < tokens.Count; i++)
        {
            if (tokens[i].IsSpecial('>'))
            {
                return true;
            }

            if (tokens[i].IsSpecial('<'))
            {
                return false;
            }
        }

        return false;
    }

    private static int ParseAddrSpec(List<AddressToken> tokens, int at, List<AddressToken> phrase, List<MailboxAddress> result)
    {
        // The local part is the tail of the phrase that is not separated by white space.
        int localStart = phrase.Count;
        while (localStart > 0)
        {
            var t = phrase[localStart - 1];
            if (!t.IsWordLike)
            {
                break;
            }

            localStart--;
            if (t.SpaceBefore && !(localStart > 0 && phrase[localStart - 1].IsSpecial('.')) && !t.IsSpecial('.'))
            {
                break;
            }
        }

        var local = new StringBuilder();
        for (int k = localStart; k < phrase.Count; k++)
        {
            local.Append(phrase[k].Kind == AddressTokenKind.Quoted ? LocalPartText(phrase[k].Text) : phrase[k].Text);
        }

        var domain = new StringBuilder();
        int i = at + 1;
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSpecial('@') && !t.SpaceBefore && domain.Length > 0 && domain[^1] != '.')
            {
                // Another "@" (a relay path, "develop!x@ebony@sblab.att.com"): what came before
                // belongs to the local part; Add quotes it.
                local.Append('@').Append(domain);
                domain.Clear();
                continue;
            }

            bool part = t.Kind is AddressTokenKind.Atom or AddressTokenKind.DomainLiteral || t.IsSpecial('.');
            if (!part || (t.SpaceBefore && domain.Length > 0 && !t.IsSpecial('.') && domain[^1] != '.'))
            {
                break;
            }

            domain.Append(t.Text);
        }

        string? name = BuildName(phrase, 0, localStart);

        // "addr (Name)": a comment right after the address names it when nothing else does.
        for (; i < tokens.Count && tokens[i].Kind == AddressTokenKind.Comment; i++)
        {
            if (name is null && tokens[i].Text.Trim().Length > 0)
            {
                name = EncodedWordDecoder.Decode(tokens[i].Text.Trim());
            }
        }

        if (local.Length > 0 || domain.Length > 0)
        {
            Add(result, name, domain.Length > 0 ? local + "@" + domain : local.ToString());
        }

        return i;
    }

    private static string LocalPartText(string quotedContent)
    {
        foreach (var c in quotedContent)
        {
            if (!AddressFormatter.IsAtext(c) && c != '.')
            {
                return AddressFormatter.Quote(quotedContent);
            }
        }

        return quotedContent.Length == 0 ? "\"\"" : quotedContent;
    }

    private static string? BuildName(List<AddressToken> phrase, int start, int end)
    {
        var sb = new StringBuilder();
        for (int k = start; k < end; k++)
        {
            var t = phrase[k];
            if (t.Kind == AddressTokenKind.Comment)
            {
                continue;
            }

            if (sb.Length > 0 && t.SpaceBefore)
            {
                sb.Append(' ');
            }

            sb.Append(t.Text);
        }

        var name = sb.ToString().Trim();
        if (name.Length == 0)
        {
            return null;
        }

        name = EncodedWordDecoder.Decode(name);
        return name.Length == 0 ? null : name;
    }
}
