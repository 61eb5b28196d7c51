using System.Net;

namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>One class-IN resource record of a type the resolver understands; fields unused by the type stay default.</summary>
/// <param name="Name">Owner name, without the trailing dot.</param>
/// <param name="Type">Record type.</param>
/// <param name="Ttl">Seconds the record may be cached (high bit cleared to 0 per RFC 2181 §8).</param>
internal sealed record DnsResourceRecord(string Name, DnsRecordType Type, uint Ttl)
{
    /// <summary>A and AAAA: the address.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>CNAME: the canonical name. SRV: the target host.</summary>
    public string? Target { get; init; }

    /// <summary>SRV priority.</summary>
    public ushort Priority { get; init; }

    /// <summary>SRV weight.</summary>
    public ushort Weight { get; init; }

    /// <summary>SRV port.</summary>
    public ushort Port { get; init; }

    /// <summary>SOA MINIMUM: the negative-caching TTL (RFC 2308 §4).</summary>
    public uint Minimum { get; init; }
}
