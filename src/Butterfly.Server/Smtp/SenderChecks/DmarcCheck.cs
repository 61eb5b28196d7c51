using Butterfly.Server.Mail;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>
/// DMARC (RFC 7489): the policy of the From domain (or of its organizational domain, from the public
/// suffix list through <see cref="DomainAlignment"/>), SPF and DKIM identifier alignment (§3.1), and the
/// disposition: <c>p=reject</c> refused, <c>p=quarantine</c> to Junk, <c>pct=</c> sampled (§6.6.4).
/// </summary>
internal sealed class DmarcCheck(Dns.IDnsResolver dns, DomainAlignment alignment, Random random)
{
    /// <summary>Evaluates a message from <paramref name="fromDomain"/> with its SPF and DKIM results.</summary>
    /// <param name="fromDomain">The From domain (lower-case A-label); empty when the message has not exactly one From address.</param>
    /// <param name="spf">The SPF outcome.</param>
    /// <param name="dkim">The DKIM results.</param>
    /// <param name="ct">Cancels the lookups.</param>
    public async Task<DmarcOutcome> EvaluateAsync(string fromDomain, SpfOutcome spf, IReadOnlyList<DkimResult> dkim, CancellationToken ct)
    {
        if (fromDomain.Length == 0)
        {
            // §6.6.1: no single author domain to evaluate.
            return new DmarcOutcome("none", fromDomain, null, "none");
        }

        DmarcRecord? record;
        string? organizational;
        try
        {
            (record, organizational) = await FindAsync(fromDomain, ct);
        }
        catch (Dns.DnsException)
        {
            return new DmarcOutcome("temperror", fromDomain, null, "none");
        }

        if (record is null)
        {
            return new DmarcOutcome("none", fromDomain, null, "none");
        }

        var spfAligned = spf.MailFrom == "pass" && spf.MailFromDomain.Length > 0 && Aligned(spf.MailFromDomain, fromDomain, record.StrictSpf);
        var dkimAligned = dkim.Any(d => d.Result == "pass" && d.Domain.Length > 0 && Aligned(d.Domain, fromDomain, record.StrictDkim));
        var policy = organizational is not null && record.SubdomainPolicy is not null ? record.SubdomainPolicy : record.Policy;
        if (spfAligned || dkimAligned)
        {
            return new DmarcOutcome("pass", fromDomain, policy, "none");
        }

        var disposition = policy;
        if (record.Percent < 100 && random.Next(100) >= record.Percent)
        {
            // §6.6.4: outside the sample, the next policy down.
            disposition = policy == "reject" ? "quarantine" : "none";
        }

        return new DmarcOutcome("fail", fromDomain, policy, disposition);
    }

    // §6.6.3: the From domain's record, else the organizational domain's (then returned as the second item).
    private async Task<(DmarcRecord? Record, string? Organizational)> FindAsync(string fromDomain, CancellationToken ct)
    {
        if (await LookupAsync(fromDomain, ct) is { } own)
        {
            return (own, null);
        }

        var organizational = alignment.Organizational(fromDomain);
        if (organizational != fromDomain && await LookupAsync(organizational, ct) is { } inherited)
        {
            return (inherited, organizational);
        }

        return (null, null);
    }

    private async Task<DmarcRecord?> LookupAsync(string domain, CancellationToken ct)
    {
        var records = (await dns.ResolveTxtAsync("_dmarc." + domain, ct)).Select(DmarcRecord.Parse).OfType<DmarcRecord>().ToList();

        // §6.6.3: more than one record is as good as none.
        return records.Count == 1 ? records[0] : null;
    }

    private bool Aligned(string identifier, string fromDomain, bool strict) =>
        strict ? string.Equals(identifier, fromDomain, StringComparison.OrdinalIgnoreCase) : alignment.Aligned(identifier.ToLowerInvariant(), fromDomain);
}
