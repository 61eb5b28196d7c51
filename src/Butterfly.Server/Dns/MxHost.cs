namespace Butterfly.Server.Dns;

/// <summary>One mail host of a domain (an MX record, or the implicit MX).</summary>
/// <param name="Preference">Lower is tried first.</param>
/// <param name="Host">The host name, without the trailing dot.</param>
public sealed record MxHost(int Preference, string Host);
