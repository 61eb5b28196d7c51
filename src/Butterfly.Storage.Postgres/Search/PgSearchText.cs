using System.Globalization;
using System.Text;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// The text that goes into a search vector or a search query, cut into words the way the SQLite index
/// (FTS5's unicode61) cuts them, so that both stores find the same mail: a word is a run of letters, digits
/// and private-use characters (with their combining marks); everything else separates words; Latin
/// diacritics are dropped and letters lower-cased. PostgreSQL's own parser would keep
/// <c>alice@example.org</c>, <c>agenda.pdf</c> or <c>foo-bar</c> whole (so <c>from:alice</c> would miss)
/// and keep <c>café</c> apart from <c>cafe</c>; handed the words joined by single spaces, it sees only words.
/// </summary>
internal static class PgSearchText
{
    /// <summary>
    /// What one content's words may cost in its vector, in bytes: PostgreSQL refuses a <c>tsvector</c> past
    /// 1 MB, which would fail the delivery. Ordinary text of the longest body indexed (256 K characters)
    /// costs about 0.6 MB; words past the budget (an adversary's wall of distinct short words) are left out.
    /// </summary>
    public const int VectorBudget = 900_000;

    // A lexeme's entry beside its bytes: its offset and length, one position, alignment (tsvector's layout).
    private const int EntryOverhead = 10;

    // PostgreSQL ignores longer words (with a notice); they cost nothing then.
    private const int MaxWordBytes = 2047;

    /// <summary>The words of <paramref name="text"/>, lower-cased and joined by single spaces.</summary>
    public static string Words(string? text)
    {
        var budget = int.MaxValue;
        return Words(text, ref budget);
    }

    /// <summary>
    /// The words of <paramref name="text"/> joined by single spaces, as many as <paramref name="budget"/>
    /// pays for (it is reduced by what they cost).
    /// </summary>
    public static string Words(string? text, ref int budget)
    {
        if (string.IsNullOrEmpty(text) || budget <= 0)
        {
            return string.Empty;
        }

        var output = new StringBuilder(text.Length);
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                word.Append(rune.ToString());
            }
            else if (word.Length > 0 && !Flush(word, output, ref budget))
            {
                return output.ToString();
            }
        }

        if (word.Length > 0)
        {
            Flush(word, output, ref budget);
        }

        return output.ToString();
    }

    /// <summary>The words of a search term, each on its own (for a phrase of them).</summary>
    public static string[] Split(string text) => Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.PrivateUse => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        _ => false,
    };

    /// <summary>Appends the word in <paramref name="word"/> (folded) and clears it; false when the budget is spent.</summary>
    private static bool Flush(StringBuilder word, StringBuilder output, ref int budget)
    {
        var folded = Fold(word.ToString());
        word.Clear();
        if (folded.Length == 0)
        {
            return true;
        }

        var bytes = Encoding.UTF8.GetByteCount(folded);
        if (bytes > MaxWordBytes)
        {
            return true;
        }

        budget -= bytes + EntryOverhead;
        if (budget < 0)
        {
            return false;
        }

        if (output.Length > 0)
        {
            output.Append(' ');
        }

        output.Append(folded);
        return true;
    }

    /// <summary>Lower case, without the diacritics of Latin letters (unicode61's remove_diacritics).</summary>
    private static string Fold(string word)
    {
        var lower = word.ToLowerInvariant();
        if (Ascii.IsValid(lower))
        {
            return lower;
        }

        var decomposed = lower.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var latinBase = false;
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                if (!latinBase)
                {
                    sb.Append(ch);
                }

                continue;
            }

            latinBase = IsLatin(ch);
            sb.Append(ch);
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    // Basic Latin to Latin Extended-B, and Latin Extended Additional (Vietnamese and the like).
    private static bool IsLatin(char ch) => ch <= '\u024F' || ch is >= '\u1E00' and <= '\u1EFF';
}
