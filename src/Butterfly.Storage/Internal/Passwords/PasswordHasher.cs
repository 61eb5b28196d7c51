using BCrypt.Net;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Password hashes: bcrypt in enhanced mode (the password is pre-hashed with SHA-384, so every
/// character of a long password counts), <c>$2b$COST$...</c>. Hashes from before bcrypt
/// (<see cref="LegacyPbkdf2"/>) still verify and report that they need a rehash.
/// </summary>
internal static class PasswordHasher
{
    /// <summary>The cost new hashes get unless configured otherwise.</summary>
    public const int DefaultCost = 11;

    /// <summary>The lowest cost a real server may configure.</summary>
    public const int MinimumCost = 10;

    /// <summary>The lowest cost with <see cref="StoreOptions.AllowWeakPasswordHashingForTests"/>; bcrypt's own floor.</summary>
    public const int MinimumCostForTests = 4;

    /// <summary>
    /// The highest cost configured or accepted from the database: each step doubles the work, and a
    /// tampered hash must not make one login run for hours.
    /// </summary>
    public const int MaximumCost = 20;

    private const int BcryptLength = 60;

    public static string Hash(string password, int cost) => BCrypt.Net.BCrypt.EnhancedHashPassword(password, HashType.SHA384, cost);

    /// <summary>Checks a password against a stored hash of either kind. False for malformed hashes.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (LegacyPbkdf2.IsLegacy(encoded))
        {
            return LegacyPbkdf2.Verify(password, encoded);
        }

        if (!TryGetCost(encoded, out _))
        {
            return false;
        }

        try
        {
            return BCrypt.Net.BCrypt.EnhancedVerify(password, encoded, HashType.SHA384);
        }
        catch (Exception ex) when (ex is SaltParseException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Spends what one verification at <paramref name="cost"/> spends, for an unknown user, so that a
    /// wrong address answers as slowly as a wrong password.
    /// </summary>
    public static void Burn(string password, int cost) => _ = Hash(password, cost);

    /// <summary>Whether a stored hash should be replaced: an older format, or a cost below the configured one.</summary>
    public static bool NeedsRehash(string encoded, int cost) => !TryGetCost(encoded, out var stored) || stored < cost;

    /// <summary>Reads the cost of a well-formed bcrypt hash (<c>$2a$</c>, <c>$2b$</c>, <c>$2x$</c> or <c>$2y$</c>).</summary>
    public static bool TryGetCost(string encoded, out int cost)
    {
        cost = 0;
        if (encoded.Length != BcryptLength || !encoded.StartsWith("$2", StringComparison.Ordinal)
            || encoded[2] is not ('a' or 'b' or 'x' or 'y') || encoded[3] != '$' || encoded[6] != '$'
            || !char.IsAsciiDigit(encoded[4]) || !char.IsAsciiDigit(encoded[5]))
        {
            return false;
        }

        cost = ((encoded[4] - '0') * 10) + (encoded[5] - '0');
        foreach (var c in encoded.AsSpan(7))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '/'))
            {
                return false;
            }
        }

        return cost is >= MinimumCostForTests and <= MaximumCost;
    }
}
