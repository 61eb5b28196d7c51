namespace Butterfly.Server.Configuration;

/// <summary>The passwords section of <c>butterfly.json</c>.</summary>
public sealed class PasswordOptions
{
    /// <summary>The bcrypt cost of new hashes (each step doubles the work). Default 11; 10 to 20.</summary>
    public int Cost { get; set; } = 11;

    /// <summary>Lowers the cost floor to 4 so test suites run fast. Never set this on a real server.</summary>
    public bool AllowWeakHashingForTests { get; set; }

    /// <summary>
    /// Password checks that may wait for a hashing thread (there is about one per core). A login that
    /// finds this many waiting gets <c>server.busy</c> at once. Default 32.
    /// </summary>
    public int MaxQueuedHashes { get; set; } = 32;

    /// <summary>
    /// The PBKDF2 iteration count of builds before bcrypt. Accepted so old files still load; it has no
    /// effect (the server warns once at start).
    /// </summary>
    public int? Iterations { get; set; }

    internal IEnumerable<string> Validate()
    {
        var floor = AllowWeakHashingForTests ? 4 : 10;
        if (Cost < floor || Cost > 20)
        {
            yield return $"passwords.cost must be between {floor} and 20 (it is {Cost}).";
        }

        if (MaxQueuedHashes < 0)
        {
            yield return $"passwords.maxQueuedHashes must be 0 or more (it is {MaxQueuedHashes}).";
        }
    }
}
