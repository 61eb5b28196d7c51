namespace Butterfly.Storage;

/// <summary>Options for opening a <see cref="MailStore"/>.</summary>
public sealed class StoreOptions
{
    /// <summary>Folder that holds the database; created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>File name of the SQLite database inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFileName { get; init; } = "butterfly.db";

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes (at least 100,000).</summary>
    public int PasswordIterations { get; init; } = 600_000;

    /// <summary>Lowers the iteration floor to 1,000. For tests only.</summary>
    public bool AllowWeakPasswordHashingForTests { get; init; }

    /// <summary>Most write operations the writer puts into one transaction.</summary>
    public int MaxBatchSize { get; init; } = 512;

    /// <summary>Most read connections open at once.</summary>
    public int ReadConnections { get; init; } = 4;

    /// <summary>How long a connection waits for a lock held by another connection or process.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, DatabaseFileName);
}
