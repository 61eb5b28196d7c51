using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Butterfly.Server.Dkim;

/// <summary>One DKIM signing key of a domain (RFC 6376), with the selector its public half is published under.</summary>
/// <param name="Domain">The signing domain (<c>d=</c>).</param>
/// <param name="Selector">The selector (<c>s=</c>): the public key is at <c>SELECTOR._domainkey.DOMAIN</c>.</param>
/// <param name="Algorithm">rsa-sha256 or ed25519-sha256 (RFC 8463).</param>
/// <param name="PrivateKey">The private key.</param>
/// <param name="PublicKey">The public key as the <c>p=</c> tag carries it, base64.</param>
public sealed record DkimKey(string Domain, string Selector, DkimSignatureAlgorithm Algorithm, AsymmetricKeyParameter PrivateKey, string PublicKey)
{
    /// <summary>The DNS name the public key is published under.</summary>
    public string RecordName => $"{Selector}._domainkey.{Domain}";

    /// <summary>The TXT record's value (RFC 6376 §3.6.1; <c>k=ed25519</c> from RFC 8463).</summary>
    public string RecordValue => $"v=DKIM1; k={(Algorithm == DkimSignatureAlgorithm.Ed25519Sha256 ? "ed25519" : "rsa")}; p={PublicKey}";

    /// <summary>The record as a zone-file line: the value split into quoted strings of at most 255 characters.</summary>
    public string ZoneLine
    {
        get
        {
            var value = RecordValue;
            var parts = new List<string>();
            for (var i = 0; i < value.Length; i += 255)
            {
                parts.Add("\"" + value[i..Math.Min(value.Length, i + 255)] + "\"");
            }

            return $"{RecordName}. IN TXT ( {string.Join(' ', parts)} )";
        }
    }
}
