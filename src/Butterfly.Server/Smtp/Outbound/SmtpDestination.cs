using Butterfly.Protocol.Tls;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>One SMTP server that mail for a domain may be handed to.</summary>
/// <param name="Host">A host name or IP address.</param>
/// <param name="Port">The port: 25 for MX hosts, as configured for routes and the smarthost.</param>
/// <param name="Source"><c>route</c>, <c>smarthost</c>, <c>mx</c> or <c>implicit-mx</c>: how it was found.</param>
internal sealed record SmtpDestination(string Host, int Port, string Source)
{
    /// <summary>Whether STARTTLS is required and the certificate checked (else TLS is used when offered, unchecked).</summary>
    public bool TlsRequired { get; init; }

    /// <summary>TLS from the first byte (port 465) instead of STARTTLS.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>The only certificate to accept, when TLS is required; null to check chain and name.</summary>
    public CertificatePin? Pin { get; init; }

    /// <summary>The AUTH user name and the file with the password; null for no AUTH.</summary>
    public (string User, string PasswordFile)? Auth { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{Port} [{Source}{(TlsRequired ? ", tls required" : string.Empty)}]";
}
