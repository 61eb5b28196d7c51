using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Butterfly.TestUtilities;

/// <summary>
/// Real certificates made in the test: a private CA that issues server certificates, and
/// self-signed ones; written as the PEM files the daemon and the CLI read.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey;

    private TestCertificates(string name)
    {
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
    }

    /// <summary>The CA's certificate (with its key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A new private CA.</summary>
    /// <param name="name">Its common name.</param>
    public static TestCertificates CreateAuthority(string name = "Butterfly Test CA") => new(name);

    /// <summary>A server certificate with its key, issued by this CA for <paramref name="names"/> (DNS names or IP addresses).</summary>
    /// <param name="names">The subject alternative names; the first is also the common name.</param>
    public X509Certificate2 Issue(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(key, names);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed server certificate with its key for <paramref name="names"/>.</summary>
    /// <param name="names">The subject alternative names; the first is also the common name.</param>
    public static X509Certificate2 SelfSigned(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ServerRequest(key, names).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Writes the CA certificate as PEM to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    public string WriteAuthority(string path)
    {
        File.WriteAllText(path, Authority.ExportCertificatePem());
        return path;
    }

    /// <summary>
    /// Writes a certificate and its key as PEM, each through a temporary file renamed over the
    /// old one (as renewal tools do), the key first.
    /// </summary>
    /// <param name="certificate">The certificate, with its private key.</param>
    /// <param name="certificatePath">The certificate file.</param>
    /// <param name="keyPath">The key file.</param>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        Replace(keyPath, key.ExportPkcs8PrivateKeyPem());
        Replace(certificatePath, certificate.ExportCertificatePem());
    }

    /// <summary>The SHA-256 of the certificate's DER bytes, lower-case hex.</summary>
    /// <param name="certificate">The certificate.</param>
    public static string Sha256(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <inheritdoc/>
    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }

    private static CertificateRequest ServerRequest(ECDsa key, string[] names)
    {
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    private static void Replace(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
