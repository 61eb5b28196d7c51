using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Verifies the PBKDF2-HMAC-SHA256 hashes written before bcrypt (<c>pbkdf2-sha256$iterations$salt$hash</c>,
/// base64). Nothing new is hashed this way: a successful login replaces such a hash with bcrypt.
/// </summary>
internal static class LegacyPbkdf2
{
    public const string Prefix = "pbkdf2-sha256$";

    // A tampered hash must not make verification run for hours.
    private const int MaximumIterations = 100_000_000;

    /// <summary>Whether the stored hash is in this format (well formed or not).</summary>
    public static bool IsLegacy(string encoded) => encoded.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Checks a password in constant time with respect to the stored hash. False for malformed hashes.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = encoded.Split('$');
        if (parts.Length != 4 || !IsLegacy(encoded))
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
}
