using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Butterfly.Storage.Internal;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashes in the form <c>pbkdf2-sha256$iterations$salt$hash</c> (base64),
/// so the cost can be raised later without breaking stored hashes.
/// </summary>
internal static class PasswordHasher
{
    public const string Algorithm = "pbkdf2-sha256";
    public const int SaltSize = 16;
    public const int HashSize = 32;
    public const int MinimumIterations = 100_000;
    public const int MinimumIterationsForTests = 1_000;

    // A tampered hash must not make verification run for hours.
    private const int MaximumIterations = 100_000_000;

    public static string Hash(string password, int iterations)
    {
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        var hash = Derive(password, salt, iterations);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Algorithm}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Checks a password in constant time with respect to the stored hash. False for malformed hashes.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Burns one hash computation at <paramref name="iterations"/>, for unknown users.</summary>
    public static void Burn(string password, int iterations)
    {
        Span<byte> salt = stackalloc byte[SaltSize];
        _ = Derive(password, salt, iterations);
    }

    public static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Algorithm)
        {
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < 1 || iterations > MaximumIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && hash.Length > 0;
    }

    /// <summary>Whether a stored hash is weaker than the configured cost and should be replaced.</summary>
    public static bool NeedsRehash(string encoded, int iterations)
        => !TryParse(encoded, out var stored, out _, out var hash) || stored < iterations || hash.Length != HashSize;

    private static byte[] Derive(string password, ReadOnlySpan<byte> salt, int iterations)
        => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashSize);
}
