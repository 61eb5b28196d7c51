using System.Text;
using Butterfly.Mime;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>The <c>Authentication-Results</c> field (RFC 8601): written for a verdict, and removed where an incoming one claims our authserv-id.</summary>
internal static class AuthenticationResults
{
    private const string FieldName = "Authentication-Results";

    /// <summary>The field, folded one result per line, ending in CRLF.</summary>
    public static string Write(string authServId, SenderVerdict? verdict)
    {
        var results = new List<string>();
        if (verdict is not null)
        {
            var spf = verdict.Spf;
            if (spf.MailFromIdentity.Length > 0 || spf.Helo is null)
            {
                results.Add(spf.MailFromIdentity.Length > 0 ? $"spf={spf.MailFrom} smtp.mailfrom={Value(spf.MailFromIdentity)}" : "spf=none");
            }

            if (spf.Helo is not null)
            {
                results.Add($"spf={spf.Helo} smtp.helo={Value(spf.HeloDomain)}");
            }

            results.AddRange(verdict.Dkim.Count == 0
                ? ["dkim=none"]
                : verdict.Dkim.Select(d => $"dkim={d.Result}{Comment(d.Reason)} header.d={Value(d.Domain)} header.s={Value(d.Selector)} header.b={Value(d.SignaturePrefix)}"));
            var dmarc = verdict.Dmarc;
            var policy = dmarc.Policy is null ? string.Empty : $" (p={dmarc.Policy} dis={dmarc.Disposition})";
            results.Add(dmarc.FromDomain.Length > 0 ? $"dmarc={dmarc.Result}{policy} header.from={Value(dmarc.FromDomain)}" : $"dmarc={dmarc.Result}");
        }

        return results.Count == 0
            ? $"{FieldName}: {authServId}; none\r\n"
            : $"{FieldName}: {authServId};\r\n\t" + string.Join(";\r\n\t", results) + "\r\n";
    }

    /// <summary>
    /// The message without the top-level Authentication-Results fields whose authserv-id is
    /// <paramref name="authServId"/> (RFC 8601 §5: a forged claim to be ours); the same array when there are none.
    /// </summary>
    public static byte[] RemoveOurs(byte[] raw, MimeMessage parsed, string authServId)
    {
        var ranges = new List<(int Start, int End)>();
        foreach (var header in parsed.Headers)
        {
            if (header.Is(FieldName) && string.Equals(ServId(header.Value), authServId, StringComparison.OrdinalIgnoreCase))
            {
                ranges.Add((header.Offset, RawHeaders.FieldEnd(raw, header)));
            }
        }

        if (ranges.Count == 0)
        {
            return raw;
        }

        var result = new byte[raw.Length - ranges.Sum(r => r.End - r.Start)];
        var at = 0;
        var kept = 0;
        foreach (var (start, end) in ranges)
        {
            raw.AsSpan(kept, start - kept).CopyTo(result.AsSpan(at));
            at += start - kept;
            kept = end;
        }

        raw.AsSpan(kept).CopyTo(result.AsSpan(at));
        return result;
    }

    // RFC 8601 §2.2: the authserv-id comes first, before ';' (CFWS around it).
    private static string ServId(string value)
    {
        var text = value.Trim();
        while (text.StartsWith('('))
        {
            var close = text.IndexOf(')', StringComparison.Ordinal);
            text = close < 0 ? string.Empty : text[(close + 1)..].TrimStart();
        }

        var end = text.IndexOfAny([';', ' ', '\t', '\r', '\n', '(']);
        return (end < 0 ? text : text[..end]).Trim('"');
    }

    // A value as a token (with "@" and "/", as RFC 8601 pvalues have them) where it can be, else a quoted string.
    private static string Value(string text)
    {
        const string allowed = "-._@+/!#$%&'*^`{|}~";
        if (text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || allowed.Contains(c, StringComparison.Ordinal)))
        {
            return text;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in text.Where(c => c >= ' '))
        {
            quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        }

        return quoted.Append('"').ToString();
    }

    private static string Comment(string? reason) =>
        reason is null ? string.Empty : $" ({new string([.. reason.Where(c => c >= ' ' && c != '(' && c != ')' && c != '\\').Take(80)])})";
}
