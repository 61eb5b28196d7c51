using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Butterfly.Server.Dkim;

/// <summary>
/// rsa-sha256 for MimeKit's DKIM signer done by the platform's RSA (OpenSSL) instead of BouncyCastle's: measured
/// here, BouncyCastle took 25 ms per 2048-bit signature, which capped outbound SMTP at a few dozen messages a second.
/// </summary>
internal sealed class NativeRsaSigner : ISigner
{
    private readonly RSA _rsa;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public NativeRsaSigner(RSA rsa)
    {
        _rsa = rsa;
    }

    /// <inheritdoc/>
    public string AlgorithmName => "SHA-256withRSA";

    /// <inheritdoc/>
    public void Init(bool forSigning, ICipherParameters parameters) => Reset();

    /// <inheritdoc/>
    public void Update(byte input) => _hash.AppendData([input]);

    /// <inheritdoc/>
    public void BlockUpdate(byte[] input, int inOff, int inLen) => _hash.AppendData(input, inOff, inLen);

    /// <inheritdoc/>
    public void BlockUpdate(ReadOnlySpan<byte> input) => _hash.AppendData(input);

    /// <inheritdoc/>
    public int GetMaxSignatureSize() => (_rsa.KeySize + 7) / 8;

    /// <inheritdoc/>
    public byte[] GenerateSignature() => _rsa.SignHash(_hash.GetHashAndReset(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <inheritdoc/>
    public bool VerifySignature(byte[] signature) => _rsa.VerifyHash(_hash.GetHashAndReset(), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <inheritdoc/>
    public void Reset() => _hash.GetHashAndReset();
}
