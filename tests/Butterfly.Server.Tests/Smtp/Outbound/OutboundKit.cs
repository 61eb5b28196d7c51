using System.Text.Json.Nodes;
using Butterfly.Server.Dkim;
using Butterfly.TestUtilities;
using MimeKit;
using MimeKit.Cryptography;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>Helpers for the outbound SMTP tests: alice@a.example on a real daemon, mail for b.example routed over SMTP.</summary>
internal static class OutboundKit
{
    /// <summary>Starts a.example with alice, <c>smtp.routes</c> sending b.example to <paramref name="route"/>, quick retries.</summary>
    public static Task<PeerNetwork> StartAsync(TempDirectory directory, string route, Action<JsonObject>? configure = null) =>
        PeerNetwork.StartAsync(
            directory.Path,
            [A],
            (_, json) =>
            {
                json["queue"] = QueueSection(retrySeconds: 0.3);
                json["smtp"] = new JsonObject { ["routes"] = new JsonObject { [B] = route } };
                configure?.Invoke(json);
            },
            [Alice]);

    /// <summary>The keys a.example signs with, read from its data folder.</summary>
    public static IReadOnlyList<DkimKey> KeysOf(PeerNetwork network) =>
        new DkimKeyStore(Path.Combine(Path.GetDirectoryName(network.ConfigOf(A))!, "data")).Find(A);

    /// <summary>
    /// Checks every DKIM-Signature of <paramref name="message"/> with MimeKit's verifier against the TXT records the
    /// keys publish; returns the algorithms that verified.
    /// </summary>
    public static List<string> VerifiedAlgorithms(MimeMessage message, IReadOnlyList<DkimKey> keys)
    {
        var verifier = new DkimVerifier(new PublishedKeys(keys.ToDictionary(k => k.RecordName, k => k.RecordValue, StringComparer.OrdinalIgnoreCase)));
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var verified = new List<string>();
        foreach (var signature in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            if (verifier.Verify(message, signature))
            {
                verified.Add(signature.Value.Contains("a=ed25519-sha256", StringComparison.Ordinal) ? "ed25519-sha256" : "rsa-sha256");
            }
        }

        verified.Sort(StringComparer.Ordinal);
        return verified;
    }

    /// <summary>Public keys from TXT record values, as a resolver would find them.</summary>
    private sealed class PublishedKeys(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(records[$"{selector}._domainkey.{domain}"]);

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
