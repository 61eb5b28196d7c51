namespace Butterfly.Storage;

/// <summary>Options for opening a <see cref="MailStore"/>.</summary>
public sealed class StoreOptions
{
    /// <summary>Folder that holds the database; created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>File name of the SQLite database inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFileName { get; init; } = "butterfly.db";

    /// <summary>The bcrypt cost (log2 of the rounds) of new password hashes: 10 to 20, default 11.</summary>
    public int PasswordCost { get; init; } = 11;

    /// <summary>Lowers the cost floor to 4 (bcrypt's own). For tests only.</summary>
    public bool AllowWeakPasswordHashingForTests { get; init; }

    /// <summary>Threads that compute password hashes; the default is one per core.</summary>
    public int PasswordHashWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Password hashes that may wait for a hashing thread. Beyond that, logins and password changes
    /// fail at once with <see cref="StoreError.Busy"/> instead of waiting without bound.
    /// </summary>
    public int MaxQueuedPasswordHashes { get; init; } = 32;

    /// <summary>Most write operations the writer puts into one transaction.</summary>
    public int MaxBatchSize { get; init; } = 512;

    /// <summary>Most read connections open at once.</summary>
    public int ReadConnections { get; init; } = 4;

    /// <summary>How long a connection waits for a lock held by another connection or process.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// New mail (deliveries, uploads, drafts) is refused with <see cref="StoreError.StorageFull"/> while it
    /// would leave less room than this in the data folder (free disk space plus the database's free
    /// pages). Deleting, moving and flagging mail go on. Default 64 MiB.
    /// </summary>
    public long MinFreeBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Size of the reserve file (<c>butterfly.reserve</c>) kept in the data folder and released when a
    /// delete, move, flag change or folder deletion finds the disk full, so that it can still commit.
    /// Made again once the disk has room for it above <see cref="MinFreeBytes"/>. 0 keeps none. Default 8 MiB.
    /// </summary>
    public long ReserveBytes { get; init; } = 8L << 20;

    /// <summary>How often the room in the data folder is measured (in the background). Default 1 s.</summary>
    public TimeSpan FreeSpaceCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Called, on a background thread, with a sentence for the operator's log when the store refuses new
    /// mail for lack of room, accepts it again, or releases or makes its disk reserve.
    /// </summary>
    public Action<string>? Notice { get; init; }

    /// <summary>
    /// The storage quota of an account that has no quota of its own, in bytes; null for none. Usage is
    /// the sum of the sizes of the messages in the account's folders.
    /// </summary>
    public long? DefaultQuotaBytes { get; init; }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, DatabaseFileName);
}
