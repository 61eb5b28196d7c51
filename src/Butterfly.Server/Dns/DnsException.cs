using System.Net;

namespace Butterfly.Server.Dns;

/// <summary>
/// A DNS lookup failed for a reason other than "no such record": every server timed out, answered SERVFAIL or
/// REFUSED, or sent a malformed or forged reply. Callers treat it as a temporary failure and retry later, unlike an
/// empty answer (or an <see cref="MxStatus"/> that says so), which means the name has no records of that type.
/// </summary>
public sealed class DnsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DnsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public DnsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="inner">The cause.</param>
    public DnsException(string message, Exception inner)
        : base(message, inner)
    {
    }

    internal DnsException(string name, string recordType, IReadOnlyList<IPEndPoint> servers, string details, Exception? inner)
        : base($"DNS lookup of {recordType} {name} failed: {details}", inner)
    {
        Name = name;
        RecordType = recordType;
        Servers = servers;
    }

    /// <summary>The name looked up (empty when not known).</summary>
    public string Name { get; } = "";

    /// <summary>The record type looked up, e.g. <c>SRV</c> (empty when not known).</summary>
    public string RecordType { get; } = "";

    /// <summary>The servers that were asked.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; } = [];
}
