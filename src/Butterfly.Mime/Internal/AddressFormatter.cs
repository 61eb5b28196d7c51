using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>Writes display names as atoms or quoted strings.</summary>
internal static class AddressFormatter
{
    /// <summary>The name as is when it is a run of atoms, else as a quoted string.</summary>
    public static string FormatPhrase(string name)
    {
        bool plain = name.Length > 0 && name[0] != ' ' && name[^1] != ' ' && !name.Contains("  ", StringComparison.Ordinal);
        foreach (var c in name)
        {
            if (!IsAtext(c) && c != ' ')
            {
                plain = false;
                break;
            }
        }

        return plain ? name : Quote(name);
    }

    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>RFC 5322 atext, plus any non-ASCII character (RFC 6532).</summary>
    public static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || c > 127 || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);
}
