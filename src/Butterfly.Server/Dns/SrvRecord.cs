namespace Butterfly.Server.Dns;

/// <summary>One SRV record (RFC 2782): where a service for a domain is offered.</summary>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Relative share among records of the same priority.</param>
/// <param name="Port">TCP or UDP port of the service.</param>
/// <param name="Target">Host name that offers the service, without the trailing dot; "." when the service is not offered.</param>
public sealed record SrvRecord(int Priority, int Weight, int Port, string Target);
