using System.Globalization;
using System.Text;
using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// The Unicode rules for names people choose and other people read: account local parts, folder
/// names, addresses a filter claims. A name is kept in NFC; characters that cannot be seen or that
/// reorder text (controls, bidi overrides, zero-width and other invisible characters) are refused;
/// two names are the same name when their <see cref="Fold">folded keys</see> are equal; a local part
/// may not mix scripts (UTS #39 "highly restrictive"). Domains are compared as lower-case A-labels.
/// </summary>
/// <remarks>
/// Needs ICU (the build runs with <c>InvariantGlobalization</c> off): in invariant mode .NET
/// normalizes only ASCII text, which would let <c>Café</c> in NFD sit beside <c>Café</c> in NFC.
/// </remarks>
public static class NameRules
{
    private static readonly IdnMapping _idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>
    /// Checks <paramref name="text"/> for characters a name may not hold and returns it in NFC.
    /// </summary>
    /// <param name="text">The name as given.</param>
    /// <param name="what">What the name is, for the problem sentence ("A folder name").</param>
    /// <param name="allowSpace">Whether U+0020 SPACE is allowed (folder names, not addresses).</param>
    /// <param name="normalized">The name in NFC, when it passes.</param>
    /// <param name="problem">Which character is refused and why, when it does not.</param>
    public static bool TryNormalize(string text, string what, bool allowSpace, out string normalized, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        normalized = string.Empty;
        problem = string.Empty;
        var position = 0;
        for (var i = 0; i < text.Length; i += position)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out position) != System.Buffers.OperationStatus.Done)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"{what} must be valid Unicode text (a lone surrogate at position {i + 1}).");
                return false;
            }

            if (Forbidden(rune, allowSpace) is { } kind)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"{what} cannot contain {kind} (U+{rune.Value:X4} at position {i + 1}).");
                return false;
            }
        }

        normalized = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        return true;
    }

    /// <summary>
    /// The key two names are compared by: NFKC, case-folded (invariant upper then lower case, which
    /// also folds final sigma), NFKC again. <c>ａlice</c> (fullwidth), <c>ALICE</c> and <c>alice</c>
    /// share a key, as do <c>Café</c> in NFC and in NFD.
    /// </summary>
    /// <param name="text">A name that passed <see cref="TryNormalize"/>.</param>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var compatible = text.Normalize(NormalizationForm.FormKC);
        return compatible.ToUpperInvariant().ToLowerInvariant().Normalize(NormalizationForm.FormKC);
    }

    /// <summary>
    /// The folded key of an address: <see cref="Fold"/> of the local part, the domain as a lower-case
    /// A-label. Null when the address has no <c>@</c> or an invalid domain.
    /// </summary>
    /// <param name="address">An address, <c>local@domain</c>.</param>
    public static string? AddressKey(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        if (at <= 0 || !TryNormalizeDomain(address[(at + 1)..], out var domain))
        {
            return null;
        }

        return Fold(address[..at]) + "@" + domain;
    }

    /// <summary>
    /// A domain as compared everywhere: an A-label (IDNA, <see cref="IdnMapping"/>), lower case,
    /// without a trailing dot. <c>TEST.example.</c> is <c>test.example</c>; <c>bücher.example</c>
    /// is <c>xn--bcher-kva.example</c>.
    /// </summary>
    /// <param name="domain">The domain as given.</param>
    /// <param name="ascii">The domain's A-label form.</param>
    public static bool TryNormalizeDomain(string domain, out string ascii)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ascii = string.Empty;
        var trimmed = domain.EndsWith('.') ? domain[..^1] : domain;
        if (trimmed.Length == 0 || trimmed.Length > 253)
        {
            return false;
        }

        try
        {
            ascii = _idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        return ascii.Length <= 253;
    }

    /// <summary>
    /// What is wrong when <paramref name="local"/> mixes scripts (Latin with a Cyrillic <c>о</c>),
    /// or null. Allowed, as UTS #39 "highly restrictive" allows: one script, or Latin with Han and
    /// Hiragana/Katakana, with Han and Bopomofo, or with Han and Hangul. Digits and punctuation
    /// belong to no script.
    /// </summary>
    /// <param name="local">An address's local part.</param>
    public static string? MixedScriptProblem(string local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var scripts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rune in local.EnumerateRunes())
        {
            if (UnicodeScripts.Of(rune.Value) is { } script)
            {
                scripts.Add(script);
            }
        }

        if (scripts.Count <= 1)
        {
            return null;
        }

        var others = scripts.Where(s => s != "Latin").ToHashSet(StringComparer.Ordinal);
        if (others.IsSubsetOf(["Han", "Hiragana", "Katakana"]) || others.IsSubsetOf(["Han", "Bopomofo"]) || others.IsSubsetOf(["Han", "Hangul"]))
        {
            return null;
        }

        return $"'{local}' mixes scripts ({string.Join(", ", scripts.Order(StringComparer.Ordinal))}); a local part is written in one script.";
    }

    /// <summary>Why a character is refused in a name, or null when it is allowed.</summary>
    private static string? Forbidden(Rune rune, bool allowSpace)
    {
        var value = rune.Value;
        switch (value)
        {
            case 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069):
                return "a bidirectional control";
            case (>= 0x200B and <= 0x200D) or 0x2060 or 0xFEFF:
                return "a zero-width character";
            case 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x2800 or 0x3164 or 0xFFA0
                or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF):
                return "an invisible character";
            case ' ':
                return allowSpace ? null : "a space";
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control => "a control character",
            UnicodeCategory.Format => "an invisible formatting character",
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a space other than U+0020",
            UnicodeCategory.PrivateUse => "a private-use character",
            UnicodeCategory.OtherNotAssigned => "an unassigned code point",
            _ => null,
        };
    }
}
