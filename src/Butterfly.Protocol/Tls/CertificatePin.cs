using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Butterfly.Protocol.Tls;

/// <summary>
/// A pinned certificate: the SHA-256 of the certificate (<c>sha256:HEX</c>) or of its public key
/// (<c>spki-sha256:HEX</c> or <c>spki-sha256:BASE64</c>). A pinned connection accepts exactly the
/// matching certificate, whoever issued it and whatever name it carries.
/// </summary>
public sealed class CertificatePin
{
    private const string CertificatePrefix = "sha256:";
    private const string PublicKeyPrefix = "spki-sha256:";

    private readonly byte[] _hash;

    private CertificatePin(CertificatePinKind kind, byte[] hash)
    {
        Kind = kind;
        _hash = hash;
    }

    /// <summary>What the hash covers.</summary>
    public CertificatePinKind Kind { get; }

    /// <summary>The pin written the way <see cref="TryParse"/> reads it, hex in lower case.</summary>
    public override string ToString() =>
        (Kind == CertificatePinKind.Certificate ? CertificatePrefix : PublicKeyPrefix) + Convert.ToHexStringLower(_hash);

    /// <summary>The pin of <paramref name="certificate"/>.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="kind">What to hash.</param>
    public static CertificatePin Of(X509Certificate certificate, CertificatePinKind kind) => new(kind, Hash(certificate, kind));

    /// <summary>Reads <c>sha256:HEX</c>, <c>spki-sha256:HEX</c>, <c>spki-sha256:BASE64</c>, or bare HEX (a certificate pin); colons between hex pairs and any case are allowed.</summary>
    /// <param name="text">The pin.</param>
    /// <exception cref="FormatException">The text is not a pin.</exception>
    public static CertificatePin Parse(string text) =>
        TryParse(text, out var pin) ? pin : throw new FormatException($"'{text}' is not a certificate pin (expected sha256:HEX or spki-sha256:HEX, 32 bytes).");

    /// <summary>Tries to read a pin; see <see cref="Parse"/>.</summary>
    /// <param name="text">The pin.</param>
    /// <param name="pin">The pin, when valid.</param>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CertificatePin? pin)
    {
        pin = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var kind = CertificatePinKind.Certificate;
        if (text.StartsWith(PublicKeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            kind = CertificatePinKind.PublicKey;
            text = text[PublicKeyPrefix.Length..];
        }
        else if (text.StartsWith(CertificatePrefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[CertificatePrefix.Length..];
        }

        var hex = text.Replace(":", string.Empty, StringComparison.Ordinal);
        byte[] hash;
        if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
        {
            hash = Convert.FromHexString(hex);
        }
        else
        {
            // Base64, as curl and HPKP write public-key pins: 44 characters for 32 bytes.
            hash = new byte[32];
            if (text.Length != 44 || !Convert.TryFromBase64String(text, hash, out var written) || written != 32)
            {
                return false;
            }
        }

        pin = new CertificatePin(kind, hash);
        return true;
    }

    /// <summary>Whether <paramref name="certificate"/> is the pinned one (constant-time comparison).</summary>
    /// <param name="certificate">The certificate the server presented.</param>
    public bool Matches(X509Certificate certificate) =>
        CryptographicOperations.FixedTimeEquals(_hash, Hash(certificate, Kind));

    private static byte[] Hash(X509Certificate certificate, CertificatePinKind kind)
    {
        if (kind == CertificatePinKind.Certificate)
        {
            return SHA256.HashData(certificate.GetRawCertData());
        }

        if (certificate is X509Certificate2 full)
        {
            return SHA256.HashData(full.PublicKey.ExportSubjectPublicKeyInfo());
        }

        using var copy = new X509Certificate2(certificate);
        return SHA256.HashData(copy.PublicKey.ExportSubjectPublicKeyInfo());
    }
}
