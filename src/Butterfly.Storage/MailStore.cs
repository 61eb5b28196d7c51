using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// The mail store: accounts, folders and messages in one SQLite database (WAL, synchronous=FULL).
/// All changes go through one writer that group-commits concurrent work; a returned task means the
/// change is durable. Reads use a pool of separate connections. Every method is scoped by account.
/// </summary>
public sealed partial class MailStore : IAsyncDisposable
{
    private readonly StoreOptions _options;
    private readonly GroupCommitWriter _writer;
    private readonly ReadConnectionPool _readers;
    private readonly WalCheckpointer _checkpointer;
    private readonly SemaphoreSlim _hashSlots = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private int _disposed;

    private MailStore(StoreOptions options, GroupCommitWriter writer, ReadConnectionPool readers, WalCheckpointer checkpointer)
    {
        _options = options;
        _writer = writer;
        _readers = readers;
        _checkpointer = checkpointer;
    }

    /// <summary>The options the store was opened with.</summary>
    public StoreOptions Options => _options;

    /// <summary>Transactions the writer has committed since open (one per batch of operations).</summary>
    public long CommitCount => _writer.Statistics.Commits;

    /// <summary>Counters of the writer since open.</summary>
    public StoreStatistics Statistics => _writer.Statistics;

    /// <summary>The writer, for tests that need to hold it or queue raw work.</summary>
    internal GroupCommitWriter Writer => _writer;

    /// <summary>
    /// Opens the store: creates the folder and database when missing, applies schema migrations and
    /// starts the writer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Password iterations below the floor, or bad sizes.</exception>
    /// <exception cref="StoreException">The database holds a schema newer than this build.</exception>
    public static Task<MailStore> OpenAsync(StoreOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabaseFileName);
        var floor = options.AllowWeakPasswordHashingForTests
            ? PasswordHasher.MinimumIterationsForTests
            : PasswordHasher.MinimumIterations;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordIterations, floor, nameof(options.PasswordIterations));
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
            store = new MailStore(
                options, new GroupCommitWriter(session, options.MaxBatchSize), new ReadConnectionPool(options), checkpointer);
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

        await _writer.DisposeAsync().ConfigureAwait(false);
        _checkpointer.Dispose();
        _readers.Dispose();
    }

    private static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
