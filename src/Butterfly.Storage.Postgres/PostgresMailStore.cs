using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// A mail store on PostgreSQL, for several daemons sharing one database (issue 17). It implements the
/// store contracts of Butterfly.Storage one by one; this build has accounts, folders, messages, the delivery
/// commit, quotas, submission ids, peer records, the queue,
/// changes since a state, aliases, lists and scripts (src/Butterfly.Storage/README.md, "Contracts", says what each must promise). Every write
/// is one transaction, acknowledged after its commit, which the server makes durable: the store refuses
/// to open on a server with <c>fsync</c> or <c>synchronous_commit</c> off.
/// </summary>
public sealed class PostgresMailStore : IMailStore
{
    private readonly PgDatabase _db;
    private int _disposed;

    private PostgresMailStore(PgDatabase db)
    {
        _db = db;
        Accounts = new PgAccountStore(db);
        Folders = new PgFolderStore(db);
        Messages = new PgMessageStore(db);
        Deliveries = new PgDeliveryStore(db);
        Quotas = new PgQuotaStore(db);
        Submissions = new PgSubmissionStore(db);
        PeerRecords = new PgPeerRecordStore(db);
        Queue = new PgQueueStore(db);
        Changes = new PgChangeStore(db);
        Aliases = new PgAliasStore(db);
        Lists = new PgListStore(db);
        Scripts = new PgScriptStore(db);
        SessionTokens = new PgSessionTokenStore(db);
        Search = new PgSearchStore(db);
    }

    /// <summary>Accounts and passwords.</summary>
    public IAccountStore Accounts { get; }

    /// <summary>Each account's folders.</summary>
    public IFolderStore Folders { get; }

    /// <summary>The messages in the folders.</summary>
    public IMessageStore Messages { get; }

    /// <summary>The delivery commit.</summary>
    public IDeliveryStore Deliveries { get; }

    /// <summary>Each account's storage usage and quota.</summary>
    public IQuotaStore Quotas { get; }

    /// <summary>Client submission ids and their answers.</summary>
    public ISubmissionStore Submissions { get; }

    /// <summary>The delivery ids received from peer servers.</summary>
    public IPeerRecordStore PeerRecords { get; }

    /// <summary>Outbound mail and held inbound mail (worked by any number of daemons through leases).</summary>
    public IQueueStore Queue { get; }

    /// <summary>What changed since a state, and how long the records of it are kept.</summary>
    public IChangeStore Changes { get; }

    /// <summary>Aliases and catch-alls.</summary>
    public IAliasStore Aliases { get; }

    /// <summary>Distribution lists and their members.</summary>
    public IListStore Lists { get; }

    /// <summary>Programmable addresses: the allow list, scripts, their state and run log.</summary>
    public IScriptStore Scripts { get; }

    /// <summary>Web session tokens (their hashes).</summary>
    public ISessionTokenStore SessionTokens { get; }

    /// <summary>Full-text search, threads and the indexing backlog of contents handed over without a search vector.</summary>
    public ISearchStore Search { get; }

    /// <summary>The options the store was opened with.</summary>
    public PostgresStoreOptions Options => _db.Options;

    /// <inheritdoc/>
    public bool IsOpen => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc/>
    public string Description { get; private init; } = "PostgreSQL";

    /// <summary>
    /// Tells <paramref name="listener"/> after each commit which accounts changed and their new state: this store's
    /// commits right after they commit, other daemons' (other stores on the database) through LISTEN/NOTIFY on a
    /// connection this store opens with its first listener (README.md, "Push across daemons"). After that
    /// connection is established again, every account's state is told, since notifications may have been missed.
    /// It must return at once (hand the states to a queue) and never throw. Dispose the result to stop.
    /// </summary>
    public IDisposable OnCommitted(Action<IReadOnlyList<AccountState>> listener) => _db.Commits.Add(listener);

    /// <summary>
    /// Opens the store: checks that the server acknowledges only durable commits, applies the schema
    /// migrations and checks the text search configuration.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A password cost outside the allowed range, or bad sizes.</exception>
    /// <exception cref="StoreException">The database holds a newer schema, the server would lose acknowledged commits, or the text search configuration does not exist.</exception>
    public static async Task<PostgresMailStore> OpenAsync(PostgresStoreOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TextSearchConfiguration);
        var floor = options.AllowWeakPasswordHashingForTests ? PasswordHasher.MinimumCostForTests : PasswordHasher.MinimumCost;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordCost, floor, nameof(options.PasswordCost));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PasswordCost, PasswordHasher.MaximumCost, nameof(options.PasswordCost));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PasswordHashWorkers, 1, nameof(options.PasswordHashWorkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedPasswordHashes, 0, nameof(options.MaxQueuedPasswordHashes));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, nameof(options.MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LeaseDuration, TimeSpan.FromMilliseconds(100), nameof(options.LeaseDuration));

        var source = NpgsqlDataSource.Create(Tuned(options.ConnectionString));
        try
        {
            await CheckServerAsync(source, options, ct).ConfigureAwait(false);
            await PostgresMigrations.ApplyAsync(source, ct).ConfigureAwait(false);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresMailStore(new PgDatabase(source, options, new PasswordHashPool(options.PasswordHashWorkers, options.MaxQueuedPasswordHashes)))
        {
            Description = "PostgreSQL " + Describe(options.ConnectionString),
        };
    }

    /// <summary>Closes every connection. Writes already running complete first (their callers await them).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The connection string with what makes the store's short statements cheap, unless it says otherwise:
    /// automatic preparation (every statement's text is fixed, values go as parameters, so the server parses and
    /// plans each once per connection), and no reset when a pooled connection is returned (nothing the store runs
    /// changes session state: its locks are transaction locks, the LISTEN connection is not pooled), which saves
    /// a DISCARD ALL round trip per connection taken and keeps the prepared statements.
    /// </summary>
    internal static string Tuned(string connectionString)
    {
        // The keys as written (Npgsql's builder answers ContainsKey for any keyword it knows), without spaces or case.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = 100;
        }

        if (!written.Contains("AUTOPREPAREMINUSAGES"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        if (!written.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>Host, port and database of a connection string, never its password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    private static async Task CheckServerAsync(NpgsqlDataSource source, PostgresStoreOptions options, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT current_setting('fsync'), current_setting('synchronous_commit')", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var (fsync, synchronous) = (reader.GetString(0), reader.GetString(1));
            if (fsync != "on" || synchronous is "off" or "local")
            {
                throw new StoreException(
                    $"The PostgreSQL server runs with fsync={fsync} and synchronous_commit={synchronous}: an acknowledged delivery could be lost. Set both on.");
            }
        }

        // to_regconfig is PostgreSQL 16's; a cast works on 15 and fails with undefined_object.
        await using var check = new NpgsqlCommand("SELECT @c::text::regconfig", connection);
        check.Parameters.AddWithValue("c", options.TextSearchConfiguration);
        try
        {
            await check.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == "42704")
        {
            throw new StoreException($"The PostgreSQL server has no text search configuration named '{options.TextSearchConfiguration}'.", e);
        }
    }
}
