using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>
/// DKIM public keys (RFC 6376 §3.6.2) for MimeKit's verifier: the TXT record of
/// <c>SELECTOR._domainkey.DOMAIN</c> through the server's resolver. A missing key is a
/// <see cref="DkimKeyException"/> with <c>permerror</c>; a lookup that failed, one with <c>temperror</c>.
/// </summary>
internal sealed class DnsDkimKeyLocator(Dns.IDnsResolver dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> records;
        try
        {
            records = await dns.ResolveTxtAsync($"{selector}._domainkey.{domain}", cancellationToken);
        }
        catch (Dns.DnsException ex)
        {
            throw new DkimKeyException("temperror", $"key lookup failed: {ex.Message}");
        }
        catch (ArgumentException)
        {
            throw new DkimKeyException("permerror", "the key's name is not a DNS name");
        }

        var record = records.FirstOrDefault(r => r.Contains("p=", StringComparison.Ordinal));
        if (record is null)
        {
            throw new DkimKeyException("permerror", $"no key for selector {selector}");
        }

        try
        {
            return GetPublicKey(record);
        }
        catch (Exception ex) when (ex is FormatException or MimeKit.ParseException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new DkimKeyException("permerror", "the key record does not parse");
        }
    }
}
