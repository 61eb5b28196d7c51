namespace Butterfly.Server.Dns;

/// <summary>What an MX lookup found (RFC 5321 §5.1, RFC 7505).</summary>
public enum MxStatus
{
    /// <summary>The domain publishes MX records; <see cref="MxLookup.Hosts"/> lists them in the order to try.</summary>
    Found,

    /// <summary>No MX records, but the domain has an address: it is its own mail host, preference 0 (the implicit MX).</summary>
    Implicit,

    /// <summary>The domain publishes a null MX (<c>0 .</c>, RFC 7505): it accepts no mail. Permanent.</summary>
    NullMx,

    /// <summary>The domain does not exist (NXDOMAIN). Permanent.</summary>
    NoSuchDomain,

    /// <summary>The domain exists but has neither MX records nor an address. Permanent.</summary>
    NoMailHost,
}
