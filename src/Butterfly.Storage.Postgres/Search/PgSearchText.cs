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
    /// What one content's words may take in its vector, in bytes: PostgreSQL refuses a <c>tsvector</c> whose
    /// words and positions take 1 MB, which would fail the delivery. The longest body indexed (256 K
    /// characters) of ordinary text takes about half of it; words past the budget (an adversary's wall of
    /// distinct words, or thousands of long attachment names) are left out.
    /// </summary>
    public const int VectorBudget = 1_000_000;

    // What a word takes beside its bytes: alignment, its count of positions and one position (tsvector's
    // layout; a repeated word takes just another position, so this bounds it).
    private const int PositionBytes = 5;

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
    /// (in bytes of the vector, reduced by what they take) holds.
    /// </summary>
    public static string Words(string? text, ref int budget)
    {
        if (string.IsNullOrEmpty(text) || budget <= 0)
        {
            return string.Empty;
        }

        var output = new StringBuilder(text.Length);
        var word = new StringBuilder();
        var breaks = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune, out var mayBreak))
            {
                word.Append(rune.ToString());
                breaks += mayBreak ? 1 : 0;
            }
            else if (word.Length > 0)
            {
                if (!Flush(word, breaks, output, ref budget))
                {
                    return output.ToString();
                }

                breaks = 0;
            }
        }

        if (word.Length > 0)
        {
            Flush(word, breaks, output, ref budget);
        }

        return output.ToString();
    }

    /// <summary>The words of a search term, each on its own (for a phrase of them).</summary>
    public static string[] Split(string text) => Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Whether <paramref name="rune"/> belongs in a word; <paramref name="mayBreak"/> when it is neither a letter
    /// nor an ASCII digit, where PostgreSQL's parser may cut the word in two (depending on the database's locale).
    /// </summary>
    private static bool IsWordRune(Rune rune, out bool mayBreak)
    {
        var category = Rune.GetUnicodeCategory(rune);
        var letter = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
        mayBreak = !letter && rune.Value is not (>= '0' and <= '9');
        return letter || category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.PrivateUse or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    /// <summary>
    /// Appends the word in <paramref name="word"/> (folded) and clears it; false when the budget is spent. It
    /// takes its bytes and a position, and a position more for each of the <paramref name="breaks"/> places
    /// where it may be cut.
    /// </summary>
    private static bool Flush(StringBuilder word, int breaks, StringBuilder output, ref int budget)
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

        budget -= bytes + (PositionBytes * (1 + breaks));
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
