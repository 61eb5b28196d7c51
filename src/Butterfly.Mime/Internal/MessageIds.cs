namespace Butterfly.Mime.Internal;

/// <summary>Extracts "&lt;id&gt;" tokens from Message-ID, In-Reply-To and References.</summary>
internal static class MessageIds
{
    public static string? ParseFirst(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var all = ParseAll(value);
        if (all.Count > 0)
        {
            return all[0];
        }

        // No brackets (a broken generator): take the first word and bracket it.
        var word = value.Trim().Split([' ', '\t'], 2)[0];
        return word.Length == 0 ? null : "<" + word + ">";
    }

    public static IReadOnlyList<string> ParseAll(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        List<string>? list = null;
        int i = 0;
        while (i < value.Length)
        {
            int open = value.IndexOf('<', i);
            if (open < 0)
            {
                break;
            }

            int close = value.IndexOf('>', open + 1);
            if (close < 0)
            {
                break;
            }

            // "<a <b@c>": the id is the innermost bracket pair.
            open = value.LastIndexOf('<', close - 1, close - open);
            var id = value.AsSpan(open + 1, close - open - 1);
            if (id.ContainsAny(" \t\r\n"))
            {
                // White space inside the brackets ("<123@ ebony >", or folded) is not part of
                // the id: the obsolete syntax (obs-id-left, obs-id-right of RFC 5322 4.5.4)
                // allows it around the words, and MimeKit drops it too.
                var compact = string.Concat(id.ToString().Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
                if (compact.Length > 0)
                {
                    (list ??= []).Add("<" + compact + ">");
                }
            }
            else if (id.Length > 0)
            {
                (list ??= []).Add(value.Substring(open, close - open + 1));
            }

            i = close + 1;
        }

        return list is null ? [] : list;
    }
}
