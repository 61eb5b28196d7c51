using System.Data;
using Butterfly.Storage.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// What every PostgreSQL store shares: the connection pool, the options and the password hashing
/// threads. A write is one transaction (READ COMMITTED; the rows it changes stay locked until it
/// commits), committed before its task completes; a <see cref="StoreResult{T}"/> failure rolls it back,
/// and a deadlock or serialization failure runs it again.
/// </summary>
internal sealed class PgDatabase : IAsyncDisposable
{
    private const string SerializationFailure = "40001";
    private const string DeadlockDetected = "40P01";
    private const string UniqueViolation = "23505";
    private const string DiskFull = "53100";

    public PgDatabase(NpgsqlDataSource source, PostgresStoreOptions options, PasswordHashPool hashing)
    {
        Source = source;
        Options = options;
        Hashing = hashing;
        Instance = Guid.NewGuid().ToString("N");
        Leases = new PgLeases(source, Instance, options.LeaseDuration);
        Commits = new PgCommitFeed(options.ConnectionString, Instance);
    }

    /// <summary>This store instance's id, random per open: the owner of its leases, the sender of its notifications.</summary>
    public string Instance { get; }

    /// <summary>The leases this instance holds on queue entries and schedules.</summary>
    public PgLeases Leases { get; }

    /// <summary>Who hears of commits: this instance's listeners, and the other instances through notifications.</summary>
    public PgCommitFeed Commits { get; }

    public NpgsqlDataSource Source { get; }

    public PostgresStoreOptions Options { get; }

    public PasswordHashPool Hashing { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own and commits it, unless it returned a failure
    /// value. Cancellation is honoured until the transaction starts; after that the work runs to the end.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<PgWrite, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
            try
            {
                var write = new PgWrite(connection, transaction, Options);
                var result = await work(write).ConfigureAwait(false);
                if (result is IStoreOutcome { Ok: false })
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    return result;
                }

                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                if (write.ChangedAccounts is { Count: > 0 } changed)
                {
                    // The accounts whose state moved: this store's listeners hear of it now, the other daemons' next.
                    Commits.Committed([.. changed.Select(a => new AccountState(a.Key, a.Value))]);
                }

                return result;
            }
            catch (PostgresException e) when (e.SqlState is SerializationFailure or DeadlockDetected or UniqueViolation && attempt < Options.MaxRetries)
            {
                // Another transaction won the race for the same rows: run the whole of this one again. A unique
                // violation is such a race too (two commits of one submission id): the rerun sees the winner's row.
            }
            catch (PostgresException e) when (e.SqlState == DiskFull)
            {
                throw new StoreException(StoreError.StorageFull, "The database server has no room left for this write.", e);
            }
            catch (NpgsqlException e) when (IsUnavailable(e))
            {
                // The server went away or is shutting down mid-write: a temporary error, which the client retries
                // (with its submission id, a retry of a write that did commit stores nothing twice).
                throw Unavailable(e);
            }
        }
    }

    /// <summary>Runs a read on a connection of its own; with <paramref name="snapshot"/>, in one read-only transaction that sees one snapshot.</summary>
    public async Task<T> ReadAsync<T>(Func<PgWrite, Task<T>> read, CancellationToken ct, bool snapshot = false)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        if (!snapshot)
        {
            return await read(new PgWrite(connection, null, Options)).ConfigureAwait(false);
        }

        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        var result = await read(new PgWrite(connection, transaction, Options)).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// A pooled connection; a server that refuses more connections (<c>max_connections</c> reached, starting, shutting
    /// down) or cannot be reached is <see cref="StoreError.Busy"/>: a temporary error the client hears as
    /// <c>server.busy</c>, not an internal one.
    /// </summary>
    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await Source.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    // 53300 too_many_connections, 57P01 admin_shutdown, 57P03 cannot_connect_now; anything without a SQL state is
    // the network or the pool (a refused connection, a pool that stayed full past its timeout).
    private static bool IsUnavailable(NpgsqlException e) =>
        e is PostgresException { SqlState: "53300" or "57P01" or "57P03" } or not PostgresException;

    private static StoreException Unavailable(NpgsqlException e) =>
        new(StoreError.Busy, $"The PostgreSQL server cannot take this work now: {(e is PostgresException p ? p.MessageText : e.Message)}", e);

    public async ValueTask DisposeAsync()
    {
        await Commits.DisposeAsync().ConfigureAwait(false);
        await Leases.DisposeAsync().ConfigureAwait(false);
        Hashing.Dispose();
        await Source.DisposeAsync().ConfigureAwait(false);
    }
}
