namespace Butterfly.Storage.Internal;

/// <summary>Folder name rules: '/'-separated paths, Inbox case-insensitive, five protected defaults.</summary>
internal static class FolderNames
{
    public const string Inbox = "Inbox";
    public const string Drafts = "Drafts";
    public const string Sent = "Sent";
    public const string Trash = "Trash";
    public const string Junk = "Junk";
    public const int MaxSegmentLength = 255;
    public const int MaxLength = 1024;

    public static IReadOnlyList<string> Defaults { get; } = [Inbox, Drafts, Sent, Trash, Junk];

    /// <summary>
    /// Validates <paramref name="name"/> and gives its canonical form: a first segment equal to "inbox"
    /// in any case becomes "Inbox"; everything else is kept as is (case-sensitive).
    /// </summary>
    public static bool TryCanonicalize(string? name, out string canonical)
    {
        canonical = string.Empty;
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        var segmentStart = 0;
        for (var i = 0; i <= name.Length; i++)
        {
            if (i < name.Length && name[i] != '/')
            {
                if (char.IsControl(name[i]) || char.IsSurrogate(name[i]) && !IsValidSurrogatePair(name, i))
                {
                    return false;
                }

                continue;
            }

            var length = i - segmentStart;
            if (length == 0 || length > MaxSegmentLength)
            {
                return false;
            }

            var segment = name.AsSpan(segmentStart, length);
            if (segment is "." or "..")
            {
                return false;
            }

            segmentStart = i + 1;
        }

        var firstEnd = name.IndexOf('/', StringComparison.Ordinal);
        var first = firstEnd < 0 ? name.AsSpan() : name.AsSpan(0, firstEnd);
        canonical = first.Equals(Inbox, StringComparison.OrdinalIgnoreCase) && !first.SequenceEqual(Inbox)
            ? string.Concat(Inbox, name.AsSpan(first.Length))
            : name;
        return true;
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

    private static bool IsValidSurrogatePair(string s, int i)
        => char.IsHighSurrogate(s[i])
            ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
            : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
