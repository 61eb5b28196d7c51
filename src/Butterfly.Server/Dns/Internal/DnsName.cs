using System.Globalization;
using System.Text;

namespace Butterfly.Server.Dns.Internal;

/// <summary>
/// Host and service names as they go into a query: A-labels (an internationalized name is converted, RFC 5890),
/// lower case, no trailing dot. DnsClient accepts empty labels and sends an empty name as a query for the root, so
/// names are checked here before they are asked.
/// </summary>
internal static class DnsName
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    // STD3 rules off: service labels such as "_butterfly" and "_dmarc" carry underscores.
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = false };

    /// <summary>The name to ask for <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a DNS name.</exception>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.EndsWith('.') ? name[..^1] : name;
        if (!Ascii.IsValid(text))
        {
            try
            {
                text = Idn.GetAscii(text);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"'{name}' is not a DNS name.", nameof(name), e);
            }
        }

        if (text.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"'{name}' is not a DNS name: it is empty or longer than {MaxNameLength} characters.", nameof(name));
        }

        foreach (var label in text.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException($"'{name}' is not a DNS name: label '{label}' is empty, longer than {MaxLabelLength} or has characters other than letters, digits, '-' and '_'.", nameof(name));
            }
        }

        return text.ToLowerInvariant();
    }

    /// <summary>Whether two names as DNS compares them (ASCII case-insensitive, RFC 4343), ignoring a trailing dot.</summary>
    public static bool Same(string a, string b) =>
        a.AsSpan().TrimEnd('.').Equals(b.AsSpan().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
