namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>The record types the resolver reads (RFC 1035 §3.2.2, RFC 3596, RFC 2782).</summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    AAAA = 28,
    SRV = 33,
}
