using Butterfly.Storage;

namespace Butterfly.Server.Mail;

/// <summary>
/// Relaxed identifier alignment as DMARC defines it (RFC 7489 §3.1): two domains align when their
/// organizational domains are the same, the organizational domain being the public suffix plus one
/// label (§3.2). The public suffixes come from the system's list (Debian's <c>publicsuffix</c>
/// package, <c>/usr/share/publicsuffix/public_suffix_list.dat</c>). Without that file the rule is
/// "equal, or one is a subdomain of the other", which never aligns two unrelated domains but does
/// align <c>example.co.uk</c> with <c>co.uk</c>.
/// </summary>
internal sealed class DomainAlignment
{
    /// <summary>Where Debian's <c>publicsuffix</c> package puts the list.</summary>
    public const string SystemListPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private static readonly Lazy<DomainAlignment> _system = new(() => FromFile(SystemListPath));

    private readonly HashSet<string>? _rules;
    private readonly HashSet<string>? _wildcards;
    private readonly HashSet<string>? _exceptions;

    private DomainAlignment(HashSet<string>? rules, HashSet<string>? wildcards, HashSet<string>? exceptions)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
    }

    /// <summary>The alignment the server uses: the system's public suffix list when it is installed.</summary>
    public static DomainAlignment System => _system.Value;

    /// <summary>Whether a public suffix list is loaded (else the subdomain rule applies).</summary>
    public bool HasPublicSuffixes => _rules is not null;

    /// <summary>Reads a public suffix list; a missing or unreadable file gives the subdomain rule.</summary>
    /// <param name="path">The list (the publicsuffix.org format).</param>
    public static DomainAlignment FromFile(string path)
    {
        try
        {
            return File.Exists(path) ? FromLines(File.ReadLines(path)) : new DomainAlignment(null, null, null);
        }
        catch (IOException)
        {
            return new DomainAlignment(null, null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return new DomainAlignment(null, null, null);
        }
    }

    /// <summary>Builds the rules from the lines of a public suffix list (null: no list, the subdomain rule).</summary>
    /// <param name="lines">The list's lines, or null.</param>
    public static DomainAlignment FromLines(IEnumerable<string>? lines)
    {
        if (lines is null)
        {
            return new DomainAlignment(null, null, null);
        }

        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var space = line.IndexOfAny([' ', '\t']);
            line = space < 0 ? line : line[..space];
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var (set, rule) = line.StartsWith("!", StringComparison.Ordinal) ? (exceptions, line[1..])
                : line.StartsWith("*.", StringComparison.Ordinal) ? (wildcards, line[2..])
                : (rules, line);
            if (NameRules.TryNormalizeDomain(rule, out var ascii))
            {
                set.Add(ascii);
            }
        }

        return new DomainAlignment(rules, wildcards, exceptions);
    }

    /// <summary>Whether two domains (lower-case A-labels, as <see cref="Addresses"/> gives them) align.</summary>
    /// <param name="first">One domain.</param>
    /// <param name="second">The other.</param>
    public bool Aligned(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (string.Equals(first, second, StringComparison.Ordinal))
        {
            return true;
        }

        if (_rules is null)
        {
            return first.EndsWith("." + second, StringComparison.Ordinal) || second.EndsWith("." + first, StringComparison.Ordinal);
        }

        return string.Equals(Organizational(first), Organizational(second), StringComparison.Ordinal);
    }

    /// <summary>RFC 7489 §3.2: the public suffix of <paramref name="domain"/> plus one label.</summary>
    /// <param name="domain">A lower-case A-label domain.</param>
    public string Organizational(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var labels = domain.Split('.');
        var suffixStart = labels.Length - 1;
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join('.', labels[i..]);
            if (_exceptions?.Contains(candidate) == true)
            {
                suffixStart = i + 1;
                break;
            }

            if (_rules?.Contains(candidate) == true || (i + 1 < labels.Length && _wildcards?.Contains(string.Join('.', labels[(i + 1)..])) == true))
            {
                suffixStart = i;
                break;
            }
        }

        return suffixStart == 0 ? domain : string.Join('.', labels[(suffixStart - 1)..]);
    }
}
