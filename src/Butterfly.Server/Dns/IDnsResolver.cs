using System.Net;

namespace Butterfly.Server.Dns;

/// <summary>
/// The DNS lookups the server makes: SRV for peer discovery, addresses for connecting, MX for outbound SMTP and TXT
/// for SPF, DKIM and DMARC. Thread-safe; one instance is shared.
/// </summary>
/// <remarks>
/// Two kinds of "no": a name or record that does not exist (NXDOMAIN, or NODATA: the name exists without records of
/// that type) is a permanent answer and comes back as a value (an empty list, or an <see cref="MxStatus"/>); a lookup
/// that could not be answered now (every server silent, SERVFAIL, REFUSED, a malformed or forged reply) is a
/// <see cref="DnsException"/>, which callers treat as temporary and retry later. A name that is not a DNS name is an
/// <see cref="ArgumentException"/>; cancelling the token is an <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IDnsResolver
{
    /// <summary>
    /// SRV records for <paramref name="name"/> (e.g. <c>_butterfly._tcp.b.example</c>) in the order to try them
    /// (RFC 2782): lowest priority first and, within a priority, a weighted random order. Empty when the name or its
    /// SRV records do not exist. When every record has the target "." (the service is decidedly not offered), one
    /// such record is returned, so callers can tell "not offered" from "not published".
    /// </summary>
    /// <param name="name">The service name.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="DnsException">DNS did not give an answer.</exception>
    Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken ct = default);

    /// <summary>
    /// The IPv6 (AAAA) then IPv4 (A) addresses of <paramref name="host"/>, both asked at once. An IP literal
    /// (<c>192.0.2.1</c>, <c>2001:db8::1</c> or <c>[2001:db8::1]</c>) is returned as it is without a lookup. Empty when
    /// the host has neither. When one of the two lookups fails and the other finds addresses, those are returned.
    /// </summary>
    /// <param name="host">A host name or IP literal.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="DnsException">DNS did not give an answer.</exception>
    Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken ct = default);

    /// <summary>
    /// Where mail for <paramref name="domain"/> goes, by the rules of RFC 5321 §5.1 that a lookup can apply: MX hosts
    /// lowest preference first, equal preferences in random order; without MX records, the domain itself (an implicit
    /// MX) when it has an address; a null MX (RFC 7505) as "accepts no mail".
    /// </summary>
    /// <param name="domain">The mail domain.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="DnsException">DNS did not give an answer.</exception>
    Task<MxLookup> ResolveMxAsync(string domain, CancellationToken ct = default);

    /// <summary>
    /// The TXT records of <paramref name="name"/>, one string per record, each the record's character-strings joined
    /// without spaces (RFC 7208 §3.3; DKIM and DMARC read TXT the same way). Empty when the name or its TXT records do
    /// not exist.
    /// </summary>
    /// <param name="name">The name, e.g. <c>b.example</c> or <c>_dmarc.b.example</c>.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="DnsException">DNS did not give an answer.</exception>
    Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken ct = default);
}
