using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Pkcs;

namespace Butterfly.Server.Dkim;

/// <summary>
/// Signs outgoing mail with the sending domain's keys (RFC 6376, and RFC 8463 for Ed25519): one DKIM-Signature per
/// key, relaxed/relaxed canonicalization (survives the header refolding and trailing-space changes relays make).
/// The message must already be in the form it goes out in (after any 8-bit to 7-bit downgrade): the body hash
/// covers those bytes.
/// </summary>
internal static class DkimSigning
{
    // RFC 6376 §5.4.1: From is required; these are the ones whose change would mislead the reader.
    private static readonly HeaderId[] _signed =
    [
        HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.Date,
        HeaderId.MessageId, HeaderId.InReplyTo, HeaderId.References, HeaderId.MimeVersion, HeaderId.ContentType,
        HeaderId.ContentTransferEncoding, HeaderId.ListId, HeaderId.ListUnsubscribe,
    ];

    // The platform's RSA for each key, made once (importing the key costs more than a signature).
    private static readonly ConditionalWeakTable<DkimKey, RSA> _rsa = [];

    /// <summary>Adds a signature with each of <paramref name="keys"/>, RSA's last so it is on top.</summary>
    /// <param name="message">The message, as it will be sent.</param>
    /// <param name="keys">The signing domain's keys.</param>
    /// <param name="format">The options the message will be written with.</param>
    public static void Sign(MimeMessage message, IReadOnlyList<DkimKey> keys, FormatOptions format)
    {
        foreach (var key in keys.OrderBy(k => k.Algorithm == DkimSignatureAlgorithm.RsaSha256 ? 1 : 0))
        {
            DkimSigner signer = key.Algorithm == DkimSignatureAlgorithm.RsaSha256
                ? new NativeRsaDkimSigner(key, _rsa.GetValue(key, ToRsa))
                : new DkimSigner(key.PrivateKey, key.Domain, key.Selector, key.Algorithm);
            signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            signer.Sign(format, message, _signed);
        }
    }

    private static RSA ToRsa(DkimKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.PrivateKey).GetDerEncoded(), out _);
        return rsa;
    }
}
