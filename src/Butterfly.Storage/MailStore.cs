using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// One mail database (SQLite, WAL, synchronous=FULL) and the stores that share it: accounts, folders,
/// messages, the queue, the records of peer deliveries, and the delivery commit. All of them write
/// through the one writer, which group-commits concurrent work (a completed write is durable), and
/// read through the one pool of read connections.
/// </summary>
public sealed class MailStore : IMailStore
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
        Submissions = new SubmissionStore(core);
        Quotas = new QuotaStore(core);
        Aliases = new AliasStore(core);
        Lists = new ListStore(core);
        Changes = new ChangeStore(core);
        Search = new SearchStore(core);
        Scripts = new ScriptStore(core);
        SessionTokens = new SessionTokenStore(core);
    }

    /// <summary>Accounts and passwords.</summary>
    public IAccountStore Accounts { get; }

    /// <summary>Each account's folders.</summary>
    public IFolderStore Folders { get; }

    /// <summary>The messages in the folders.</summary>
    public IMessageStore Messages { get; }

    /// <summary>Outbound mail and held inbound mail.</summary>
    public IQueueStore Queue { get; }

    /// <summary>The delivery ids received from peer servers.</summary>
    public IPeerRecordStore PeerRecords { get; }

    /// <summary>Full-text search and threads.</summary>
    public ISearchStore Search { get; }

    /// <summary>Programmable addresses: the allow list, scripts, their state and run log.</summary>
    public IScriptStore Scripts { get; }

    /// <summary>Web session tokens (their hashes).</summary>
    public ISessionTokenStore SessionTokens { get; }

    /// <summary>The delivery commit: copies, queue entries and peer records in one transaction.</summary>
    public IDeliveryStore Deliveries { get; }

    /// <summary>Client submission ids and their answers, for exactly-once retries of send and message.store.</summary>
    public ISubmissionStore Submissions { get; }

    /// <summary>Each account's storage usage and quota.</summary>
    public IQuotaStore Quotas { get; }

    /// <summary>Aliases and catch-alls.</summary>
    public IAliasStore Aliases { get; }

    /// <summary>Distribution lists and their members.</summary>
    public IListStore Lists { get; }

    /// <summary>What changed since a state, and how long the records of it are kept.</summary>
    public IChangeStore Changes { get; }

    /// <summary>
    /// Tells <paramref name="listener"/> after each commit which accounts changed and their new state. It runs
    /// on the writer thread before the committed operations complete: it must return at once (hand the
    /// states to a queue) and never throw. Dispose the result to stop.
    /// </summary>
    public IDisposable OnCommitted(Action<IReadOnlyList<AccountState>> listener) => _core.Writer.AddListener(listener);

    /// <summary>The options the store was opened with.</summary>
    public StoreOptions Options => _core.Options;

    /// <summary>Counters of the writer since open.</summary>
    public StoreStatistics Statistics => _core.Writer.Statistics;

    /// <summary>Whether the store is open (not disposed yet).</summary>
    public bool IsOpen => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc/>
    public string Description => "SQLite " + _core.Options.DatabasePath;

    /// <summary>
    /// Bytes of room for new mail at the last background measurement (free disk plus free pages, less the
    /// reserve once given up); new mail is refused below <see cref="StoreOptions.MinFreeBytes"/>.
    /// </summary>
    public long Room => _core.Space.Room;

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

        ArgumentOutOfRangeException.ThrowIfNegative(options.MinFreeBytes, nameof(options.MinFreeBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReserveBytes, nameof(options.ReserveBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FreeSpaceCheckInterval, TimeSpan.Zero, nameof(options.FreeSpaceCheckInterval));
        ct.ThrowIfCancellationRequested();

        // Owner only, whatever the umask: SQLite gives the -wal and -shm files the database file's mode.
        DataFolderAccess.CreateFolder(options.DataDirectory);
        CreatePrivate(options.DatabasePath);
        var session = SqliteSession.Open(options, readOnly: false);
        WalCheckpointer? checkpointer = null;
        MailStore store;
        try
        {
            SchemaMigrations.Apply(session);
            var space = new DiskSpace(options);
            space.Measure(FreePageBytes(session));
            checkpointer = new WalCheckpointer(options, TimeSpan.FromMilliseconds(200), space);
            var writer = new GroupCommitWriter(session, options.MaxBatchSize, space, options.DataDirectory);
            var backlog = new SearchBacklog(entries => writer.EnqueueAsync(context => context.Search.IndexDeferred(entries), CancellationToken.None));
            writer.Backlog = backlog;
            backlog.Start();
            var core = new StoreCore(options, writer, new ReadConnectionPool(options), space, backlog);
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

    /// <summary>The database's free pages, in bytes: room that new mail reuses before the file grows.</summary>
    internal static long FreePageBytes(SqliteSession session) =>
        (long)session.Command("PRAGMA freelist_count").ExecuteScalar()! * (long)session.Command("PRAGMA page_size").ExecuteScalar()!;

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = DataFolderAccess.PrivateFile });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another store on this folder made it first (tests may open two).
        }
    }

    /// <summary>Stops accepting work, completes everything already queued, then closes all connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _hashing.Dispose();

        // The writer indexes what the search backlog still holds in its last transaction (a crash leaves it
        // to the server's background indexer at the next start).
        _core.Backlog.Stop();
        await _core.Writer.DisposeAsync().ConfigureAwait(false);
        await _core.Backlog.DisposeAsync().ConfigureAwait(false);
        _checkpointer.Dispose();
        _core.Readers.Dispose();
    }
}
