using System.Globalization;
using System.Text;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Folder name rules (protocol/client.md, "Addresses, folders, message ids"): '/'-separated paths,
/// white space around each segment trimmed, each segment in NFC with no invisible or reordering
/// characters (<see cref="NameRules"/>), Inbox case-insensitive, five protected defaults.
/// </summary>
internal static class FolderNames
{
    public const string Inbox = "Inbox";
    public const string Drafts = "Drafts";
    public const string Sent = "Sent";
    public const string Trash = "Trash";
    public const string Junk = "Junk";
    public const int MaxSegmentLength = 255;
    public const int MaxLength = 1024;

    // Names quoted in error messages are cut to this length.
    private const int ShownLength = 80;

    public static IReadOnlyList<string> Defaults { get; } = [Inbox, Drafts, Sent, Trash, Junk];

    /// <summary>
    /// Validates <paramref name="name"/> and gives its canonical form: white space around each segment
    /// removed, and a first segment equal to "inbox" in any case written "Inbox"; everything else is
    /// kept as is (case-sensitive). On failure, <paramref name="problem"/> says which rule was broken.
    /// </summary>
    public static bool TryCanonicalize(string? name, out string canonical, out string problem)
    {
        canonical = string.Empty;
        problem = string.Empty;
        name ??= string.Empty;
        for (var i = 0; i < name.Length; i++)
        {
            if ((char.IsControl(name[i]) && !char.IsWhiteSpace(name[i])) || IsInnerControl(name, i))
            {
                problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Folder names cannot contain control characters (U+{(int)name[i]:X4} at position {i + 1}).");
                return false;
            }

            if (char.IsSurrogate(name[i]) && !IsValidSurrogatePair(name, i))
            {
                problem = string.Create(
                    CultureInfo.InvariantCulture, $"Folder names must be valid Unicode text (a lone surrogate at position {i + 1}).");
                return false;
            }
        }

        var segments = name.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i].Trim();
        }

        if (segments.Length == 1 && segments[0].Length == 0)
        {
            problem = "A folder name cannot be empty.";
            return false;
        }

        if (segments[0].Length == 0)
        {
            problem = $"Folder name '{Show(name)}' starts with '/'; write paths without it, like 'Archive/2026'.";
            return false;
        }

        if (segments[^1].Length == 0)
        {
            problem = $"Folder name '{Show(name)}' ends with '/'.";
            return false;
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                problem = $"Folder name '{Show(name)}' has an empty segment ('//').";
                return false;
            }

            if (segment is "." or "..")
            {
                problem = $"Folder name '{Show(name)}' has a '{segment}' segment; '.' and '..' are not allowed.";
                return false;
            }

            if (!NameRules.TryNormalize(segment, "A folder name", allowSpace: true, out _, out var refused))
            {
                problem = refused;
                return false;
            }

            if (segment.Length > MaxSegmentLength)
            {
                problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Folder name segment '{Show(segment)}' is {segment.Length} characters long; the limit is {MaxSegmentLength}.");
                return false;
            }
        }

        // One name, one spelling: Café typed as C-a-f-e-U+0301 is the folder Café (NFC).
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i].Normalize(NormalizationForm.FormC);
        }

        if (segments[0].Equals(Inbox, StringComparison.OrdinalIgnoreCase))
        {
            segments[0] = Inbox;
        }

        var joined = string.Join('/', segments);
        if (joined.Length > MaxLength)
        {
            problem = string.Create(
                CultureInfo.InvariantCulture, $"Folder name '{Show(joined)}' is {joined.Length} characters long; the limit is {MaxLength}.");
            return false;
        }

        canonical = joined;
        return true;
    }

    /// <summary>The folders above a canonical name, outermost first: "a", "a/b" for "a/b/c".</summary>
    public static IEnumerable<string> Parents(string canonical)
    {
        for (var i = canonical.IndexOf('/', StringComparison.Ordinal); i > 0; i = canonical.IndexOf('/', i + 1))
        {
            yield return canonical[..i];
        }
    }

    /// <summary>Whether a canonical name is one of the default folders.</summary>
    public static bool IsProtected(string canonical)
    {
        foreach (var name in Defaults)
        {
            if (string.Equals(name, canonical, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="parent"/> or lies below it.</summary>
    public static bool IsSelfOrDescendant(string name, string parent)
        => name.Length == parent.Length
            ? string.Equals(name, parent, StringComparison.Ordinal)
            : name.Length > parent.Length && name[parent.Length] == '/' && name.StartsWith(parent, StringComparison.Ordinal);

    /// <summary>A name as quoted in a message: cut short when long.</summary>
    public static string Show(string name)
    {
        if (name.Length <= ShownLength)
        {
            return name;
        }

        var cut = char.IsHighSurrogate(name[ShownLength - 1]) ? ShownLength - 1 : ShownLength;
        return new StringBuilder(name, 0, cut, cut + 1).Append('…').ToString();
    }

    // White space that is also a control character (tab, line feeds) is trimmed at a segment's ends but
    // refused inside one.
    private static bool IsInnerControl(string name, int i)
    {
        if (!char.IsControl(name[i]))
        {
            return false;
        }

        var start = name.LastIndexOf('/', i) + 1;
        var end = name.IndexOf('/', i);
        var segment = end < 0 ? name.AsSpan(start) : name.AsSpan(start, end - start);
        var trimmed = segment.Trim();
        var offset = i - start;
        var trimmedStart = segment.Length - segment.TrimStart().Length;
        return offset >= trimmedStart && offset < trimmedStart + trimmed.Length;
    }

    private static bool IsValidSurrogatePair(string s, int i)
        => char.IsHighSurrogate(s[i])
            ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
            : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
