using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// One mail database (SQLite, WAL, synchronous=FULL) and the stores that share it: accounts, folders,
/// messages, the queue, the records of peer deliveries, and the delivery commit. All of them write
/// through the one writer, which group-commits concurrent work (a completed write is durable), and
/// read through the one pool of read connections.
/// </summary>
public sealed class MailStore : IAsyncDisposable
{
    private readonly StoreCore _core;
    private readonly WalCheckpointer _checkpointer;
    private readonly PasswordHashPool _hashing;
    private int _disposed;

    private MailStore(StoreCore core, WalCheckpointer checkpointer, PasswordHashPool hashing)
    {
        _core = core;
        _checkpointer = checkpointer;
        _hashing = hashing;
        Accounts = new AccountStore(core, hashing);
        Folders = new FolderStore(core);
        Messages = new MessageStore(core);
        Queue = new QueueStore(core);
        PeerRecords = new PeerRecordStore(core);
        Deliveries = new DeliveryStore(core);
        Search = new SearchStore(core);
    }

    /// <summary>Accounts and passwords.</summary>
    public AccountStore Accounts { get; }

    /// <summary>Each account's folders.</summary>
    public FolderStore Folders { get; }

    /// <summary>The messages in the folders.</summary>
    public MessageStore Messages { get; }

    /// <summary>Outbound mail and held inbound mail.</summary>
    public QueueStore Queue { get; }

    /// <summary>The delivery ids received from peer servers.</summary>
    public PeerRecordStore PeerRecords { get; }

    /// <summary>Full-text search and threads.</summary>
    public SearchStore Search { get; }

    /// <summary>The delivery commit: copies, queue entries and peer records in one transaction.</summary>
    public DeliveryStore Deliveries { get; }

    /// <summary>The options the store was opened with.</summary>
    public StoreOptions Options => _core.Options;

    /// <summary>Counters of the writer since open.</summary>
    public StoreStatistics Statistics => _core.Writer.Statistics;

    /// <summary>The writer, for tests that need to hold it or queue raw work.</summary>
    internal GroupCommitWriter Writer => _core.Writer;

    /// <summary>The password hashing threads, for tests that need to keep them busy.</summary>
    internal PasswordHashPool Hashing => _hashing;

    /// <summary>
    /// Opens the database: creates the folder and the file when missing, applies schema migrations (each
    /// in the one transaction that also moves the version on) and starts the writer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A password cost outside the allowed range, or bad sizes.</exception>
    /// <exception cref="StoreException">The database holds a schema newer than this build.</exception>
    public static Task<MailStore> OpenAsync(StoreOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabaseFileName);
        var floor = options.AllowWeakPasswordHashingForTests ? PasswordHasher.MinimumCostForTests : PasswordHasher.MinimumCost;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordCost, floor, nameof(options.PasswordCost));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PasswordCost, PasswordHasher.MaximumCost, nameof(options.PasswordCost));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordHashWorkers, 1, nameof(options.PasswordHashWorkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedPasswordHashes, 0, nameof(options.MaxQueuedPasswordHashes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options.MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadConnections, 1, nameof(options.ReadConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero, nameof(options.BusyTimeout));
        ct.ThrowIfCancellationRequested();

        Directory.CreateDirectory(options.DataDirectory);
        var session = SqliteSession.Open(options, readOnly: false);
        WalCheckpointer? checkpointer = null;
        MailStore store;
        try
        {
            SchemaMigrations.Apply(session);
            checkpointer = new WalCheckpointer(options, TimeSpan.FromMilliseconds(200));
            var core = new StoreCore(options, new GroupCommitWriter(session, options.MaxBatchSize), new ReadConnectionPool(options));
            store = new MailStore(core, checkpointer, new PasswordHashPool(options.PasswordHashWorkers, options.MaxQueuedPasswordHashes));
        }
        catch
        {
            checkpointer?.Dispose();
            session.Dispose();
            throw;
        }

        return Task.FromResult(store);
    }

    /// <summary>Stops accepting work, completes everything already queued, then closes all connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _hashing.Dispose();
        await _core.Writer.DisposeAsync().ConfigureAwait(false);
        _checkpointer.Dispose();
        _core.Readers.Dispose();
    }
}
