using System.Text;

namespace Butterfly.Cli.Migration;

/// <summary>
/// Maildir's flags (the letters after <c>:2,</c> in a file name) and Butterfly's: S seen, R answered,
/// F flagged, D draft; T (trashed) has no flag here and sends the message to Trash instead.
/// </summary>
internal static class MaildirFlags
{
    /// <summary>Reads the flags of a Maildir file name.</summary>
    /// <param name="fileName">The name, e.g. <c>1700000000.M1P2.host:2,FS</c>.</param>
    /// <param name="trashed">Whether it carries T.</param>
    public static IReadOnlyList<string> Parse(string fileName, out bool trashed)
    {
        trashed = false;
        var info = fileName.LastIndexOf(":2,", StringComparison.Ordinal);
        if (info < 0)
        {
            return [];
        }

        var flags = new List<string>(4);
        foreach (var letter in fileName.AsSpan(info + 3))
        {
            var flag = letter switch
            {
                'S' => "seen",
                'R' => "answered",
                'F' => "flagged",
                'D' => "draft",
                _ => null,
            };
            if (letter == 'T')
            {
                trashed = true;
            }
            else if (flag is not null && !flags.Contains(flag))
            {
                flags.Add(flag);
            }
        }

        return flags;
    }

    /// <summary>The <c>:2,</c> suffix for Butterfly flags, letters in ASCII order as Maildir wants.</summary>
    public static string Suffix(IEnumerable<string> flags)
    {
        var letters = new StringBuilder(":2,");
        var set = flags.ToHashSet(StringComparer.Ordinal);
        foreach (var (letter, flag) in new[] { ('D', "draft"), ('F', "flagged"), ('R', "answered"), ('S', "seen") })
        {
            if (set.Contains(flag))
            {
                letters.Append(letter);
            }
        }

        return letters.ToString();
    }
}
