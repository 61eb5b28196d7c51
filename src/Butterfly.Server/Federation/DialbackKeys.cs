using System.Security.Cryptography;
using System.Text;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Federation;

/// <summary>
/// The dialback secret and the keys derived from it (protocol/peer.md, "Dialback"): a key is
/// HMAC-SHA256(secret, "RECEIVING SENDING CONNECTION-ID"), hex. Only the server that holds the
/// secret can make a key, and only it can confirm one.
/// </summary>
internal sealed class DialbackKeys
{
    /// <summary>The file the generated secret is kept in, inside the data folder.</summary>
    public const string SecretFileName = "dialback.secret";

    private readonly byte[] _secret;

    public DialbackKeys(byte[] secret) => _secret = secret;

    /// <summary>
    /// The configured secret, or the one in <c>&lt;data&gt;/dialback.secret</c>, created (32 random
    /// bytes, hex, mode 0600) on first use.
    /// </summary>
    /// <param name="options">The configuration.</param>
    public static DialbackKeys Load(ButterflyOptions options)
    {
        if (options.Federation.Secret is { } configured)
        {
            return new DialbackKeys(Encoding.UTF8.GetBytes(configured));
        }

        var directory = options.ResolvedDataDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, SecretFileName);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var temp = path + ".tmp";
            var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, streamOptions))
            {
                stream.Write(Encoding.ASCII.GetBytes(fresh));
                stream.Flush(flushToDisk: true);
            }

            // Two daemons on one data folder cannot both win: the first rename stands, the loser reads it.
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        var text = File.ReadAllText(path).Trim();
        if (text.Length < 32)
        {
            throw new ConfigurationException($"{path}: the dialback secret is too short; delete the file to make a new one.");
        }

        return new DialbackKeys(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The key the sending server presents (peer.md, "Dialback").</summary>
    /// <param name="receiving">The domain the key is for (<c>to</c>).</param>
    /// <param name="sending">The domain the sender claims (<c>from</c>).</param>
    /// <param name="connectionId">The id the receiving server gave the connection in its hello reply.</param>
    public string Compute(string receiving, string sending, string connectionId) =>
        Compute(_secret, receiving, sending, connectionId);

    /// <summary>The key for an explicit secret (tests that play a peer compute it this way).</summary>
    /// <param name="secret">The secret bytes (UTF-8 of the configured text).</param>
    /// <param name="receiving">The receiving domain.</param>
    /// <param name="sending">The sending domain.</param>
    /// <param name="connectionId">The connection id.</param>
    public static string Compute(byte[] secret, string receiving, string sending, string connectionId)
    {
        var input = Encoding.UTF8.GetBytes($"{receiving.ToLowerInvariant()} {sending.ToLowerInvariant()} {connectionId}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, input));
    }

    /// <summary>Whether <paramref name="key"/> is the key this server would make, compared in constant time.</summary>
    /// <param name="receiving">The receiving domain.</param>
    /// <param name="sending">The sending domain.</param>
    /// <param name="connectionId">The connection id.</param>
    /// <param name="key">The key presented.</param>
    public bool IsValid(string receiving, string sending, string connectionId, string key) =>
        FixedTimeEquals(Compute(receiving, sending, connectionId), key);

    /// <summary>Compares two strings in time that depends only on their lengths.</summary>
    /// <param name="expected">The expected text.</param>
    /// <param name="actual">The text presented.</param>
    public static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
