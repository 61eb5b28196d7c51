using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Butterfly.Server.Dkim;

/// <summary>MimeKit's DKIM signer with the RSA signature computed by <see cref="NativeRsaSigner"/>.</summary>
internal sealed class NativeRsaDkimSigner : DkimSigner
{
    private readonly RSA _rsa;

    public NativeRsaDkimSigner(DkimKey key, RSA rsa)
        : base(key.PrivateKey, key.Domain, key.Selector, DkimSignatureAlgorithm.RsaSha256)
    {
        _rsa = rsa;
    }

    /// <inheritdoc/>
    protected override ISigner CreateSigningContext() => new NativeRsaSigner(_rsa);
}
