using System.Text;

namespace Butterfly.Storage;

/// <summary>
/// The subject a thread is recognised by when a reply lacks In-Reply-To and References: lower-case,
/// white space collapsed, reply and forward prefixes (<c>Re:</c>, <c>Fwd:</c>, <c>Fw:</c>, <c>AW:</c>,
/// <c>SV:</c>, <c>Re[2]:</c>) stripped however many there are.
/// </summary>
public static class SubjectKey
{
    private static readonly string[] _prefixes = ["re", "fwd", "fw", "aw", "sv", "wg", "antw"];

    /// <summary>The normalized subject (null when nothing is left) and whether a reply or forward prefix was stripped.</summary>
    public static (string? Key, bool Reply) Normalize(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return (null, false);
        }

        var s = subject.AsSpan().Trim();
        var reply = false;
        while (TryStripPrefix(ref s))
        {
            reply = true;
        }

        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var ch in s)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return (sb.Length == 0 ? null : sb.ToString(), reply);
    }

    private static bool TryStripPrefix(ref ReadOnlySpan<char> s)
    {
        foreach (var prefix in _prefixes)
        {
            if (s.Length <= prefix.Length || !s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = s[prefix.Length..];
            if (rest[0] is '[' or '(')
            {
                // Re[2]: and Re(2): count replies.
                var close = rest.IndexOfAny(']', ')');
                if (close < 0)
                {
                    continue;
                }

                rest = rest[(close + 1)..];
            }

            rest = rest.TrimStart();
            if (rest.Length > 0 && rest[0] is ':' or '：')
            {
                s = rest[1..].TrimStart();
                return true;
            }
        }

        return false;
    }
}
