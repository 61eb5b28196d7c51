namespace Butterfly.Storage.Internal;

/// <summary>
/// The script of a code point, by the blocks of the scripts people write addresses in. .NET has no
/// Unicode Script property; blocks are close enough to tell Latin from Cyrillic or Greek, which is
/// what the mixed-script rule is for. A letter outside these blocks counts as a script of its own
/// block, so two unlisted scripts still do not mix.
/// </summary>
internal static class UnicodeScripts
{
    private static readonly (int First, int Last, string Script)[] _ranges =
    [
        (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00AA, 0x00AA, "Latin"), (0x00BA, 0x00BA, "Latin"),
        (0x00C0, 0x00D6, "Latin"), (0x00D8, 0x00F6, "Latin"), (0x00F8, 0x02AF, "Latin"), (0x1D00, 0x1D7F, "Latin"),
        (0x1E00, 0x1EFF, "Latin"), (0x2C60, 0x2C7F, "Latin"), (0xA720, 0xA7FF, "Latin"), (0xAB30, 0xAB6F, "Latin"),
        (0xFF21, 0xFF3A, "Latin"), (0xFF41, 0xFF5A, "Latin"),
        (0x0370, 0x03FF, "Greek"), (0x1F00, 0x1FFF, "Greek"),
        (0x0400, 0x052F, "Cyrillic"), (0x1C80, 0x1C8F, "Cyrillic"), (0x2DE0, 0x2DFF, "Cyrillic"), (0xA640, 0xA69F, "Cyrillic"),
        (0x0530, 0x058F, "Armenian"),
        (0x0590, 0x05FF, "Hebrew"),
        (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"), (0x08A0, 0x08FF, "Arabic"), (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFE, "Arabic"),
        (0x0E00, 0x0E7F, "Thai"),
        (0x10A0, 0x10FF, "Georgian"),
        (0x1100, 0x11FF, "Hangul"), (0x3130, 0x318F, "Hangul"), (0xAC00, 0xD7AF, "Hangul"), (0xFFA1, 0xFFDC, "Hangul"),
        (0x3040, 0x309F, "Hiragana"),
        (0x30A0, 0x30FF, "Katakana"), (0x31F0, 0x31FF, "Katakana"), (0xFF66, 0xFF9F, "Katakana"),
        (0x3100, 0x312F, "Bopomofo"), (0x31A0, 0x31BF, "Bopomofo"),
        (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xF900, 0xFAFF, "Han"), (0x20000, 0x3FFFF, "Han"),
    ];

    /// <summary>The script of <paramref name="codePoint"/>, or null for digits, punctuation, symbols and combining marks.</summary>
    public static string? Of(int codePoint)
    {
        if (codePoint < 0x80 && !char.IsAsciiLetter((char)codePoint))
        {
            return null;
        }

        foreach (var (first, last, script) in _ranges)
        {
            if (codePoint >= first && codePoint <= last)
            {
                return script;
            }
        }

        // Combining marks take the script of what they combine with; digits and symbols have none.
        var category = System.Text.Rune.GetUnicodeCategory(new System.Text.Rune(codePoint));
        var letter = category is System.Globalization.UnicodeCategory.UppercaseLetter or System.Globalization.UnicodeCategory.LowercaseLetter
            or System.Globalization.UnicodeCategory.TitlecaseLetter or System.Globalization.UnicodeCategory.ModifierLetter
            or System.Globalization.UnicodeCategory.OtherLetter;
        return letter ? $"U+{codePoint >> 7 << 7:X4} block" : null;
    }
}
