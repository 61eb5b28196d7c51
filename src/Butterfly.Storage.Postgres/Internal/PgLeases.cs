using Npgsql;

namespace Butterfly.Storage.Postgres.Internal;

/// <summary>
/// This store instance's leases on queue entries and script schedules (README.md, "Leases"). A claim stamps
/// the rows it takes with <see cref="Owner"/> and an expiry <see cref="PostgresStoreOptions.LeaseDuration"/>
/// ahead, on the database server's clock (one clock for every daemon); while the instance lives it renews
/// what it holds every third of that, so a long attempt keeps its rows; an update or removal of a row clears
/// its lease. A daemon that dies stops renewing, and its rows are free again when their leases run out; one
/// that closes its store gives them back at once.
/// </summary>
internal sealed class PgLeases : IAsyncDisposable
{
    /// <summary>The database server's clock in Unix milliseconds, in SQL: what <c>lease_until</c> counts in.</summary>
    public const string ServerNowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    private const string RenewSql =
        $"UPDATE queue SET lease_until = {ServerNowMs} + @d WHERE lease_owner = @o; UPDATE scripts SET lease_until = {ServerNowMs} + @d WHERE lease_owner = @o";

    private const string ReleaseSql =
        "UPDATE queue SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @o; UPDATE scripts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @o";

    private readonly NpgsqlDataSource _source;
    private readonly CancellationTokenSource _stop = new();
    private Task _renewing = Task.CompletedTask;
    private int _claimed;
    private bool _abandoned;

    public PgLeases(NpgsqlDataSource source, string owner, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromMilliseconds(100), nameof(PostgresStoreOptions.LeaseDuration));
        _source = source;
        Owner = owner;
        DurationMs = (long)duration.TotalMilliseconds;
    }

    /// <summary>Who holds a lease: this store instance's id, random per open.</summary>
    public string Owner { get; }

    /// <summary>How long a lease lasts without renewal, in milliseconds.</summary>
    public long DurationMs { get; }

    /// <summary>Called by every claim: the first starts the renewal (an instance that never claims never renews).</summary>
    public void Claimed()
    {
        if (Interlocked.Exchange(ref _claimed, 1) == 0)
        {
            _renewing = Task.Run(RenewAsync);
        }
    }

    /// <summary>
    /// Stops renewing and will not give the leases back at close: the rows stay leased until they run out,
    /// as a killed daemon's do. For tests of the takeover.
    /// </summary>
    public async Task AbandonAsync()
    {
        _abandoned = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Stops renewing and gives back every lease this instance holds, so other daemons take the work over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        if (Volatile.Read(ref _claimed) == 0 || _abandoned)
        {
            return;
        }

        try
        {
            await ExecuteAsync(ReleaseSql, CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The server is gone: the leases run out by themselves.
        }
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(DurationMs / 3));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await ExecuteAsync(RenewSql, _stop.Token).ConfigureAwait(false);
                }
                catch (NpgsqlException)
                {
                    // The server is unreachable for now: the next tick tries again. Past the lease's end
                    // other daemons may take the rows over; the exactly-once ids keep that from doubling mail.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("o", Owner);
        command.Parameters.AddWithValue("d", DurationMs);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
