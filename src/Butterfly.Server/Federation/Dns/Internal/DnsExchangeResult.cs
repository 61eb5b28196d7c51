namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>The outcome of asking one server once: a usable reply, or why not and whether asking again may help.</summary>
/// <param name="Message">The reply (NOERROR or NXDOMAIN), or null.</param>
/// <param name="Failure">Why there is no usable reply.</param>
/// <param name="Retry">Whether the same server is worth asking again (timeouts and network errors, not SERVFAIL).</param>
internal readonly record struct DnsExchangeResult(DnsMessage? Message, string? Failure, bool Retry)
{
    public static DnsExchangeResult Success(DnsMessage message) => new(message, null, false);

    public static DnsExchangeResult Transient(string failure) => new(null, failure, true);

    public static DnsExchangeResult Final(string failure) => new(null, failure, false);
}
