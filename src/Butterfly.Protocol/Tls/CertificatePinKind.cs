namespace Butterfly.Protocol.Tls;

/// <summary>What a <see cref="CertificatePin"/> is the SHA-256 of.</summary>
public enum CertificatePinKind
{
    /// <summary>The certificate's DER bytes (what <c>openssl x509 -fingerprint -sha256</c> prints); changes with every renewal.</summary>
    Certificate,

    /// <summary>The certificate's SubjectPublicKeyInfo (as curl's <c>--pinnedpubkey</c>); survives a renewal that keeps the key.</summary>
    PublicKey,
}
