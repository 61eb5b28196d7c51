namespace Butterfly.Server.Configuration;

/// <summary>The passwords section of <c>butterfly.json</c>.</summary>
public sealed class PasswordOptions
{
    /// <summary>PBKDF2-HMAC-SHA256 iterations for new hashes. Default 600,000 (OWASP 2023); floor 100,000.</summary>
    public int Iterations { get; set; } = 600_000;

    /// <summary>Lowers the floor to 1,000 so test suites run fast. Never set this on a real server.</summary>
    public bool AllowWeakHashingForTests { get; set; }
}
