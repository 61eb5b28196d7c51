using MimeKit;
using MimeKit.Cryptography;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>DKIM (RFC 6376): each DKIM-Signature of a message verified with MimeKit's <see cref="DkimVerifier"/>, keys through DNS.</summary>
internal sealed class DkimCheck(Dns.IDnsResolver dns)
{
    // RFC 6376 §6.1 lets a verifier limit the signatures it checks.
    private const int MaxSignatures = 5;

    private readonly DkimVerifier _verifier = new(new DnsDkimKeyLocator(dns));

    /// <summary>Verifies the signatures of <paramref name="message"/>; empty when it has none.</summary>
    public async Task<IReadOnlyList<DkimResult>> VerifyAsync(MimeMessage message, CancellationToken ct)
    {
        var results = new List<DkimResult>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MaxSignatures))
        {
            var tags = Tags(header.Value);
            var domain = tags.GetValueOrDefault("d", string.Empty).ToLowerInvariant();
            var selector = tags.GetValueOrDefault("s", string.Empty);
            var b = new string([.. tags.GetValueOrDefault("b", string.Empty).Where(c => !char.IsWhiteSpace(c)).Take(8)]);
            try
            {
                var valid = await _verifier.VerifyAsync(message, header, ct);
                results.Add(new DkimResult(valid ? "pass" : "fail", domain, selector, b, valid ? null : "signature did not verify"));
            }
            catch (DkimKeyException ex)
            {
                results.Add(new DkimResult(ex.Result, domain, selector, b, ex.Message));
            }
            catch (FormatException ex)
            {
                results.Add(new DkimResult("permerror", domain, selector, b, ex.Message));
            }
            catch (Exception ex) when (ex is NotSupportedException or ArgumentException or InvalidOperationException or Org.BouncyCastle.Crypto.CryptoException)
            {
                results.Add(new DkimResult("permerror", domain, selector, b, ex.Message));
            }
        }

        return results;
    }

    /// <summary>The tag=value pairs of a DKIM-Signature or DMARC record (RFC 6376 §3.2), names lower case.</summary>
    public static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                tags.TryAdd(part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim());
            }
        }

        return tags;
    }
}
