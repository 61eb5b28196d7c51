using System.Collections.Concurrent;
using Butterfly.Server.Configuration;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Butterfly.Server.Dkim;

/// <summary>
/// The per-domain DKIM keys in the data folder: <c>dkim/DOMAIN/SELECTOR.key</c>, PKCS#8 PEM, mode 0600 in a 0700
/// folder. Each domain has an RSA key (rsa-sha256, selector <see cref="RsaSelector"/>) and an Ed25519 key
/// (ed25519-sha256, RFC 8463, selector <see cref="Ed25519Selector"/>); mail is signed with both, so receivers that
/// know only RSA still find a signature they can check.
/// </summary>
public sealed class DkimKeyStore
{
    /// <summary>The selector of the RSA key.</summary>
    public const string RsaSelector = "butterfly-rsa";

    /// <summary>The selector of the Ed25519 key.</summary>
    public const string Ed25519Selector = "butterfly-ed25519";

    // 2048 bits: RFC 8301 asks for at least 1024 and recommends 2048; longer keys outgrow some DNS providers' TXT limits.
    private const int RsaBits = 2048;

    private readonly string _folder;
    private readonly ConcurrentDictionary<string, IReadOnlyList<DkimKey>> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _generating = new();

    /// <summary>Creates the store for the data folder <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The data folder (absolute).</param>
    public DkimKeyStore(string dataDirectory)
    {
        _folder = Path.Combine(dataDirectory, "dkim");
    }

    /// <summary>Creates the store for the daemon's data folder.</summary>
    /// <param name="options">The configuration.</param>
    public static DkimKeyStore For(ButterflyOptions options) => new(options.ResolvedDataDirectory);

    /// <summary>The keys of <paramref name="domain"/>, or an empty list when it has none yet.</summary>
    /// <param name="domain">The signing domain.</param>
    public IReadOnlyList<DkimKey> Find(string domain)
    {
        domain = domain.ToLowerInvariant();
        if (_loaded.TryGetValue(domain, out var keys))
        {
            return keys;
        }

        keys = Read(domain);
        return keys.Count > 0 ? _loaded.GetOrAdd(domain, keys) : keys;
    }

    /// <summary>The keys of <paramref name="domain"/>, made first when it has none.</summary>
    /// <param name="domain">The signing domain.</param>
    /// <param name="created">True when the keys were made by this call.</param>
    public IReadOnlyList<DkimKey> GetOrCreate(string domain, out bool created)
    {
        domain = domain.ToLowerInvariant();
        created = false;
        var keys = Find(domain);
        if (keys.Count > 0)
        {
            return keys;
        }

        // One generation at a time: two deliveries for a new domain must not write two different keys.
        lock (_generating)
        {
            keys = Read(domain);
            if (keys.Count == 0)
            {
                Write(domain);
                keys = Read(domain);
                created = true;
            }

            _loaded[domain] = keys;
            return keys;
        }
    }

    /// <summary>Forgets what was read, so keys made by another process are seen.</summary>
    /// <param name="domain">The signing domain.</param>
    public void Forget(string domain) => _loaded.TryRemove(domain.ToLowerInvariant(), out _);

    private string DomainFolder(string domain)
    {
        // The domain names a folder: refuse anything that could step out of dkim/.
        if (domain.Length == 0 || domain.Contains('/', StringComparison.Ordinal) || domain.Contains('\\', StringComparison.Ordinal) || domain.StartsWith('.'))
        {
            throw new ArgumentException($"'{domain}' is not a domain name.", nameof(domain));
        }

        return Path.Combine(_folder, domain);
    }

    private List<DkimKey> Read(string domain)
    {
        var folder = DomainFolder(domain);
        var keys = new List<DkimKey>(2);
        foreach (var (selector, algorithm) in new[] { (RsaSelector, DkimSignatureAlgorithm.RsaSha256), (Ed25519Selector, DkimSignatureAlgorithm.Ed25519Sha256) })
        {
            var path = Path.Combine(folder, selector + ".key");
            if (!File.Exists(path))
            {
                continue;
            }

            var key = PrivateKeyFactory.CreateKey(FromPem(File.ReadAllText(path)));
            keys.Add(new DkimKey(domain, selector, algorithm, key, PublicKeyOf(key)));
        }

        return keys;
    }

    private void Write(string domain)
    {
        var folder = DomainFolder(domain);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var random = new SecureRandom();
        var rsa = new RsaKeyPairGenerator();
        rsa.Init(new RsaKeyGenerationParameters(Org.BouncyCastle.Math.BigInteger.ValueOf(65537), random, RsaBits, 100));
        var ed25519 = new Ed25519KeyPairGenerator();
        ed25519.Init(new Ed25519KeyGenerationParameters(random));
        Save(Path.Combine(folder, RsaSelector + ".key"), rsa.GenerateKeyPair().Private);
        Save(Path.Combine(folder, Ed25519Selector + ".key"), ed25519.GenerateKeyPair().Private);
    }

    private static void Save(string path, AsymmetricKeyParameter key)
    {
        var der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
        var pem = "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n-----END PRIVATE KEY-----\n";

        // Created 0600 before a byte is written, then moved into place whole: never readable by others, never half there.
        var temporary = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
        }

        File.Move(temporary, path, overwrite: false);
    }

    private static byte[] FromPem(string pem)
    {
        var body = string.Concat(pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        return Convert.FromBase64String(body);
    }

    private static string PublicKeyOf(AsymmetricKeyParameter key) => key switch
    {
        // RFC 8463 §4.2: the raw 32-byte Ed25519 public key.
        Ed25519PrivateKeyParameters ed => Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded()),

        // RFC 6376 §3.6.1: an RSA key's SubjectPublicKeyInfo, DER.
        RsaPrivateCrtKeyParameters rsa => Convert.ToBase64String(
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetDerEncoded()),
        _ => throw new InvalidDataException($"Unexpected DKIM key type {key.GetType().Name}."),
    };
}
