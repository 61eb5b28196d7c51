using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Butterfly.Protocol.Tls;

/// <summary>
/// What a TLS client accepts from a server: a pinned certificate, or else a chain to a trusted
/// root (the system's, or only the given ones) whose leaf names the expected host. Shared by the
/// client library and the server's peer connections, so both check certificates the same way.
/// </summary>
public sealed class TlsTrust
{
    /// <summary>Trusts the system's roots and checks the name.</summary>
    public static TlsTrust SystemRoots { get; } = new(null, []);

    /// <summary>Creates a trust policy.</summary>
    /// <param name="trustedRoots">The only roots to trust (a private CA), or null for the system's.</param>
    /// <param name="pins">Certificates accepted as they are; when any is given, chain and name are not checked.</param>
    public TlsTrust(X509Certificate2Collection? trustedRoots, IReadOnlyList<CertificatePin> pins)
    {
        TrustedRoots = trustedRoots;
        Pins = pins;
    }

    /// <summary>The only roots trusted, or null for the system's.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    /// <summary>Pinned certificates; empty when the chain and name decide.</summary>
    public IReadOnlyList<CertificatePin> Pins { get; }

    /// <summary>Reads the trusted roots of a private CA from a PEM file (one or more certificates).</summary>
    /// <param name="path">The PEM file.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="CryptographicException">The file holds no certificate or a broken one.</exception>
    public static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0)
        {
            throw new CryptographicException($"{path} holds no PEM certificate.");
        }

        return roots;
    }

    /// <summary>
    /// Client options for a handshake with <paramref name="serverName"/>. The handshake fails when
    /// the certificate is refused; <paramref name="refused"/> is then called first with why, as a
    /// code (<c>tls.untrusted</c>, <c>tls.name-mismatch</c>, <c>tls.pin-mismatch</c>) and a sentence.
    /// </summary>
    /// <param name="serverName">The name the certificate must carry (and the SNI name).</param>
    /// <param name="refused">Called with the reason when the certificate is refused.</param>
    public SslClientAuthenticationOptions ClientOptions(string serverName, Action<string, string> refused)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                var problem = Check(serverName, certificate, chain, errors);
                if (problem is { } p)
                {
                    refused(p.Code, p.Message);
                    return false;
                }

                return true;
            },
        };
        if (TrustedRoots is not null && Pins.Count == 0)
        {
            // A private CA replaces the system's roots: a certificate from a public CA is not
            // what an operator who names their own CA expects to reach.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(TrustedRoots);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }

    private (string Code, string Message)? Check(string serverName, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return ("tls.untrusted", $"{serverName} presented no certificate.");
        }

        if (Pins.Count > 0)
        {
            return Pins.Any(p => p.Matches(certificate))
                ? null
                : ("tls.pin-mismatch", $"{serverName}'s certificate ({CertificatePin.Of(certificate, CertificatePinKind.Certificate)}) is not the pinned one.");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var why = chain is null
                ? "its chain cannot be built"
                : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            var roots = TrustedRoots is null ? "the system's trusted roots" : "the given CA file";
            return ("tls.untrusted", $"{serverName}'s certificate does not lead to {roots}: {why}.");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            var subject = certificate is X509Certificate2 full ? full.GetNameInfo(X509NameType.DnsName, false) : certificate.Subject;
            return ("tls.name-mismatch", $"the certificate is for {subject}, not {serverName}.");
        }

        return errors == SslPolicyErrors.None ? null : ("tls.untrusted", $"{serverName}'s certificate was refused: {errors}.");
    }
}
