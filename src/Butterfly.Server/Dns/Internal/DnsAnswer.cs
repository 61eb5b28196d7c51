namespace Butterfly.Server.Dns.Internal;

/// <summary>What one question found: the records of the asked type (empty for NODATA and NXDOMAIN), and whether the name exists.</summary>
/// <typeparam name="T">The DnsClient record type asked for.</typeparam>
/// <param name="Records">The records that answer the question.</param>
/// <param name="NameExists">False for NXDOMAIN; MX needs it to tell a missing domain from one without MX records.</param>
internal readonly record struct DnsAnswer<T>(IReadOnlyList<T> Records, bool NameExists);
