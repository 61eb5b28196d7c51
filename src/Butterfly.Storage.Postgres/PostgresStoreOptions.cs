namespace Butterfly.Storage.Postgres;

/// <summary>How to open a mail store on PostgreSQL.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=...;Database=...;Username=...</c>).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// The text search configuration the search vectors are built with (<c>simple</c>: no stemming, no
    /// stop words, like SQLite's unicode61; <c>english</c>, <c>german</c>, ... stem for one language).
    /// </summary>
    public string TextSearchConfiguration { get; init; } = "simple";

    /// <summary>bcrypt cost for new password hashes, as <see cref="StoreOptions.PasswordCost"/>.</summary>
    public int PasswordCost { get; init; } = 11;

    /// <summary>Allows costs below the production floor; for tests only.</summary>
    public bool AllowWeakPasswordHashingForTests { get; init; }

    /// <summary>Threads that compute password hashes, as <see cref="StoreOptions.PasswordHashWorkers"/>.</summary>
    public int PasswordHashWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>Password checks that may wait for a hashing thread, as <see cref="StoreOptions.MaxQueuedPasswordHashes"/>.</summary>
    public int MaxQueuedPasswordHashes { get; init; } = 32;

    /// <summary>The quota of accounts without one of their own, as <see cref="StoreOptions.DefaultQuotaBytes"/>.</summary>
    public long? DefaultQuotaBytes { get; init; }

    /// <summary>How often a transaction that lost a deadlock or a serialization race is run again before the error is thrown.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>
    /// How long a claim on queued work or a script's schedule lasts without renewal: a daemon renews its claims
    /// while it lives, so this is how soon another daemon takes over the work of one that died
    /// (<c>store.leaseSeconds</c>; 60 s by default, at least 100 ms).
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);
}
