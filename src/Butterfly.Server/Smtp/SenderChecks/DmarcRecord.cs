using System.Globalization;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>A domain's DMARC policy record (RFC 7489 §6.3): the tags this server applies.</summary>
/// <param name="Policy"><c>p=</c>: none, quarantine or reject.</param>
/// <param name="SubdomainPolicy"><c>sp=</c> (the policy for subdomains when the record was found at the organizational domain), or null.</param>
/// <param name="StrictDkim"><c>adkim=s</c>.</param>
/// <param name="StrictSpf"><c>aspf=s</c>.</param>
/// <param name="Percent"><c>pct=</c>, 0 to 100.</param>
internal sealed record DmarcRecord(string Policy, string? SubdomainPolicy, bool StrictDkim, bool StrictSpf, int Percent)
{
    private static readonly string[] Policies = ["none", "quarantine", "reject"];

    /// <summary>Reads a TXT record; null when it is not a DMARC record or has no valid <c>p=</c> (§6.6.3).</summary>
    public static DmarcRecord? Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith("v=DMARC1", StringComparison.Ordinal) || (trimmed.Length > 8 && trimmed[8] is not (';' or ' ' or '\t')))
        {
            return null;
        }

        var tags = DkimCheck.Tags(trimmed);
        var policy = tags.GetValueOrDefault("p")?.ToLowerInvariant();
        if (policy is null || !Policies.Contains(policy))
        {
            return null;
        }

        var sub = tags.GetValueOrDefault("sp")?.ToLowerInvariant();
        var percent = int.TryParse(tags.GetValueOrDefault("pct"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 0, 100) : 100;
        return new DmarcRecord(
            policy,
            sub is not null && Policies.Contains(sub) ? sub : null,
            string.Equals(tags.GetValueOrDefault("adkim"), "s", StringComparison.OrdinalIgnoreCase),
            string.Equals(tags.GetValueOrDefault("aspf"), "s", StringComparison.OrdinalIgnoreCase),
            percent);
    }
}
