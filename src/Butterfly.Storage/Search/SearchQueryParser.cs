using System.Globalization;

namespace Butterfly.Storage;

/// <summary>
/// The search language (protocol/client.md, "message.search"): words, <c>"phrases"</c>, <c>from:</c>,
/// <c>to:</c>, <c>subject:</c>, <c>in:FOLDER</c>, <c>is:unread|read|flagged|unflagged</c>,
/// <c>has:attachment</c>, <c>before:</c>/<c>after:</c> YYYY-MM-DD (UTC days, on the date received).
/// An operator's value may be quoted (<c>from:"Ann Lee"</c>). A word that is not a known operator is
/// searched as typed, colon included. Nothing the user types reaches FTS5 syntax unquoted.
/// </summary>
public static class SearchQueryParser
{
    /// <summary>The longest query accepted, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>The most words, phrases and operators in one query.</summary>
    public const int MaxTerms = 32;

    /// <summary>Parses <paramref name="text"/>; false with a sentence that says what is wrong.</summary>
    public static bool TryParse(string text, out SearchQuery query, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        query = new SearchQuery();
        error = string.Empty;
        if (text.Length > MaxLength)
        {
            error = $"The query is longer than {MaxLength} characters.";
            return false;
        }

        var terms = new List<SearchTerm>();
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            if (++count > MaxTerms)
            {
                error = $"The query has more than {MaxTerms} words, phrases and operators.";
                return false;
            }

            string? key = null;
            var start = i;
            if (text[i] != '"')
            {
                var colon = text.IndexOf(':', i);
                var end = NextSpace(text, i);
                if (colon > i && colon < end && IsOperator(text[i..colon]))
                {
                    key = text[i..colon].ToLowerInvariant();
                    i = colon + 1;
                }
            }

            string value;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                {
                    error = $"The quote opened at character {i + 1} is not closed.";
                    return false;
                }

                value = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var end = NextSpace(text, i);
                value = text[i..end];
                i = end;
            }

            if (key is null)
            {
                if (!TryAddTerm(terms, SearchField.Any, value, text[start..i], out error))
                {
                    return false;
                }

                continue;
            }

            if (value.Length == 0)
            {
                error = $"'{key}:' needs a value.";
                return false;
            }

            switch (key)
            {
                case "from":
                case "to":
                case "subject":
                    var field = key switch { "from" => SearchField.From, "to" => SearchField.To, _ => SearchField.Subject };
                    if (!TryAddTerm(terms, field, value, text[start..i], out error))
                    {
                        return false;
                    }

                    break;
                case "in":
                    query = query with { Folder = value };
                    break;
                case "is":
                    switch (value.ToLowerInvariant())
                    {
                        case "unread": query = query with { WithoutFlags = query.WithoutFlags | MessageFlags.Seen }; break;
                        case "read": query = query with { WithFlags = query.WithFlags | MessageFlags.Seen }; break;
                        case "flagged": query = query with { WithFlags = query.WithFlags | MessageFlags.Flagged }; break;
                        case "unflagged": query = query with { WithoutFlags = query.WithoutFlags | MessageFlags.Flagged }; break;
                        default:
                            error = $"Unknown 'is:{value}'; use is:unread, is:read, is:flagged or is:unflagged.";
                            return false;
                    }

                    break;
                case "has":
                    if (!value.Equals("attachment", StringComparison.OrdinalIgnoreCase))
                    {
                        error = $"Unknown 'has:{value}'; use has:attachment.";
                        return false;
                    }

                    query = query with { HasAttachment = true };
                    break;
                default:
                    if (!DateTimeOffset.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day))
                    {
                        error = $"'{key}:{value}' is not a date; write it as YYYY-MM-DD.";
                        return false;
                    }

                    query = key == "before" ? query with { Before = day } : query with { After = day };
                    break;
            }
        }

        if (count == 0)
        {
            error = "The query is empty.";
            return false;
        }

        query = query with { Terms = terms };
        return true;
    }

    private static bool IsOperator(string name) => name.ToLowerInvariant() is "from" or "to" or "subject" or "in" or "is" or "has" or "before" or "after";

    private static int NextSpace(string text, int from)
    {
        var i = from;
        while (i < text.Length && !char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool TryAddTerm(List<SearchTerm> terms, SearchField field, string value, string typed, out string error)
    {
        // The index keeps letters and digits only; a term with none would match nothing, or everything.
        if (!value.Any(char.IsLetterOrDigit))
        {
            error = $"'{typed}' has no letters or digits to search for.";
            return false;
        }

        terms.Add(new SearchTerm(field, value));
        error = string.Empty;
        return true;
    }
}
