using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// Programmable addresses on PostgreSQL: the allow list, each address's script with its state and schedule,
/// and the run log. Unlike the SQLite store, "has a script?" is asked of the database every time (a primary
/// key lookup): another daemon may have put or deleted the script, so no set kept in memory can answer.
/// </summary>
public sealed class PgScriptStore : IScriptStore
{
    private const string ScriptColumns =
        "s.address, sa.owner_id, a.address, s.source, s.version, s.hash, s.updated, s.schedule, s.next_run, s.state, s.state_version "
        + "FROM scripts s JOIN script_addresses sa ON sa.address = s.address JOIN accounts a ON a.id = sa.owner_id";

    private const string RunColumns =
        "id, address, at, trigger, outcome, committed, version, delivery, sender, message_id, effects, error, log, statements, elapsed_us FROM script_runs";

    // Due schedules this instance may take (free, its own, or leased by an instance that stopped renewing); those
    // another claim holds locked this moment are skipped, so daemons claiming at once take different scripts.
    private const string ClaimSchedulesSql =
        "WITH picked AS (SELECT address FROM scripts WHERE next_run IS NOT NULL AND next_run <= @n "
        + $"AND (lease_owner IS NULL OR lease_owner = @o OR lease_until < {PgLeases.ServerNowMs}) ORDER BY next_run LIMIT @l FOR UPDATE SKIP LOCKED) "
        + $"UPDATE scripts s SET lease_owner = @o, lease_until = {PgLeases.ServerNowMs} + @d FROM picked p WHERE s.address = p.address RETURNING s.address";

    // A run another instance holds counts from when its lease runs out (on this instance's clock: @now plus what is left of it).
    private const string NextScheduleSql =
        "SELECT MIN(CASE WHEN lease_owner IS NOT NULL AND lease_owner <> @o AND lease_until >= " + PgLeases.ServerNowMs
        + " THEN GREATEST(next_run, @now + lease_until - " + PgLeases.ServerNowMs + ") ELSE next_run END) FROM scripts WHERE next_run IS NOT NULL";

    private readonly PgDatabase _db;

    internal PgScriptStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<StoreResult<ScriptAddress>> AllowAsync(string address, string owner, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized) || address.StartsWith('@') || !address.Contains('@', StringComparison.Ordinal))
        {
            return Failures.InvalidAddress();
        }

        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _db.WriteAsync<StoreResult<ScriptAddress>>(
            async write =>
            {
                var ownerId = AccountStore.TryNormalize(owner, out var ownerAddress)
                    ? await write.Int64Async("SELECT id FROM accounts WHERE address = @a", ("a", ownerAddress)).ConfigureAwait(false)
                    : null;
                if (ownerId is null)
                {
                    return Failures.AccountNotFound(owner);
                }

                var ownAddress = string.Equals(normalized, ownerAddress, StringComparison.Ordinal);
                if (await write.OwnerOfAsync(normalized, skipAccounts: ownAddress).ConfigureAwait(false) is { } taken && taken != "a script address")
                {
                    return Failures.AddressTaken(normalized, taken);
                }

                await write.ExecuteAsync(
                    "INSERT INTO script_addresses (address, owner_id, created) VALUES (@a, @o, @c) ON CONFLICT (address) DO UPDATE SET owner_id = excluded.owner_id",
                    ("a", normalized), ("o", ownerId.Value), ("c", now)).ConfigureAwait(false);
                return StoreResult<ScriptAddress>.Success((await ReadAddressAsync(write, normalized).ConfigureAwait(false))!);
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<StoreResult<ScriptAddress>> DisallowAsync(string address, CancellationToken ct = default)
        => ChangeAsync<ScriptAddress>(address, null, async (write, allowed) =>
        {
            await DeleteScriptAsync(write, allowed.Address).ConfigureAwait(false);
            await write.ExecuteAsync("DELETE FROM script_addresses WHERE address = @a", ("a", allowed.Address)).ConfigureAwait(false);
            return StoreResult<ScriptAddress>.Success(allowed);
        }, ct);

    /// <inheritdoc/>
    public async Task<ScriptAddress?> FindAddressAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return null;
        }

        return await _db.ReadAsync(read => ReadAddressAsync(read, normalized), ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> HasScriptAsync(string address, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.Int64Async("SELECT 1 FROM scripts WHERE address = @a", ("a", address)), ct).ConfigureAwait(false) is not null;

    /// <inheritdoc/>
    public async Task<StoredScript?> GetAsync(string address, long? ownerId = null, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return null;
        }

        var script = await _db.ReadAsync(read => ReadScriptAsync(read, normalized), ct).ConfigureAwait(false);
        return script is not null && (ownerId is null || script.OwnerId == ownerId) ? script : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptSummary>> ListAsync(long? ownerId = null, CancellationToken ct = default)
    {
        var (rows, waiting) = await _db.ReadAsync(
            async read =>
            {
                var rows = await read.ListAsync(
                    "SELECT sa.address, a.address, s.version, s.hash, s.updated, s.schedule, s.next_run "
                    + "FROM script_addresses sa JOIN accounts a ON a.id = sa.owner_id LEFT JOIN scripts s ON s.address = sa.address "
                    + "WHERE @o::bigint IS NULL OR sa.owner_id = @o ORDER BY sa.address",
                    r => (Address: r.GetString(0), Summary: new ScriptSummary(
                        r.GetString(0),
                        r.GetString(1),
                        r.IsDBNull(2) ? null : r.GetInt64(2),
                        r.IsDBNull(3) ? null : r.GetString(3),
                        r.IsDBNull(4) ? null : UnixTime.FromMs(r.GetInt64(4)),
                        r.IsDBNull(5) ? null : r.GetString(5),
                        r.IsDBNull(6) ? null : UnixTime.FromMs(r.GetInt64(6)),
                        0)),
                    ("o", ownerId)).ConfigureAwait(false);

                // Mail waiting for a script is queued for that one address: its recipient list as the queue writes it.
                var waiting = (await read.ListAsync(
                    "SELECT recipients_json, COUNT(*) FROM queue WHERE kind = @k GROUP BY recipients_json",
                    r => (Json: r.GetString(0), Count: r.GetInt64(1)),
                    ("k", (int)QueueKind.Script)).ConfigureAwait(false)).ToDictionary(w => w.Json, w => w.Count, StringComparer.Ordinal);
                return (rows, waiting);
            },
            ct,
            snapshot: true).ConfigureAwait(false);
        return rows.Select(r => r.Summary with { Held = (int)waiting.GetValueOrDefault(StringListJson.Write([r.Address])!) }).ToList();
    }

    /// <inheritdoc/>
    public Task<StoreResult<StoredScript>> PutAsync(
        string address, long? ownerId, string source, string hash, string? schedule, DateTimeOffset? nextRun, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return ChangeAsync<StoredScript>(address, ownerId, async (write, allowed) =>
        {
            await using (var put = write.Command(
                "INSERT INTO scripts (address, source, version, hash, updated, schedule, next_run) VALUES (@a, @s, 1, @h, @u, @sc, @n) "
                + "ON CONFLICT (address) DO UPDATE SET source = excluded.source, version = scripts.version + 1, hash = excluded.hash, "
                + "updated = excluded.updated, schedule = excluded.schedule, next_run = excluded.next_run, lease_owner = NULL, lease_until = NULL",
                ("a", allowed.Address), ("s", source), ("h", hash), ("u", now), ("sc", schedule), ("n", nextRun is { } next ? UnixTime.ToMs(next) : null)))
            {
                put.Parameters["sc"].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
                put.Parameters["n"].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
                await put.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            return StoreResult<StoredScript>.Success((await ReadScriptAsync(write, allowed.Address).ConfigureAwait(false))!);
        }, ct);
    }

    /// <inheritdoc/>
    public Task<StoreResult<StoredScript>> DeleteAsync(string address, long? ownerId = null, CancellationToken ct = default)
        => ChangeAsync<StoredScript>(address, ownerId, async (write, allowed) =>
        {
            if (await ReadScriptAsync(write, allowed.Address).ConfigureAwait(false) is not { } script)
            {
                return Failures.ScriptNotFound(allowed.Address);
            }

            await DeleteScriptAsync(write, allowed.Address).ConfigureAwait(false);
            return StoreResult<StoredScript>.Success(script);
        }, ct);

    /// <inheritdoc/>
    public Task<StoreResult<StoredScript>> SetStateAsync(string address, long? ownerId, string state, CancellationToken ct = default) =>
        ChangeAsync<StoredScript>(address, ownerId, async (write, allowed) =>
        {
            var changed = await write.ExecuteAsync(
                "UPDATE scripts SET state = @s, state_version = state_version + 1 WHERE address = @a", ("s", state), ("a", allowed.Address)).ConfigureAwait(false);
            return changed == 0
                ? Failures.ScriptNotFound(allowed.Address)
                : StoreResult<StoredScript>.Success((await ReadScriptAsync(write, allowed.Address).ConfigureAwait(false))!);
        }, ct);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptRun>> ListRunsAsync(string address, long since, int limit, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return [];
        }

        return await _db.ReadAsync(
            read => read.ListAsync($"SELECT {RunColumns} WHERE address = @a AND id > @s ORDER BY id LIMIT @l", ReadRun, ("a", normalized), ("s", since), ("l", (long)limit)),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptRun>> LatestRunsAsync(string address, int limit, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return [];
        }

        var runs = await _db.ReadAsync(
            read => read.ListAsync($"SELECT {RunColumns} WHERE address = @a ORDER BY id DESC LIMIT @l", ReadRun, ("a", normalized), ("l", (long)limit)),
            ct).ConfigureAwait(false);
        runs.Reverse();
        return runs;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredScript>> ListDueSchedulesAsync(DateTimeOffset now, int max, CancellationToken ct = default)
        => await _db.ReadAsync(
            read => read.ListAsync(
                $"SELECT {ScriptColumns} WHERE s.next_run IS NOT NULL AND s.next_run <= @n ORDER BY s.next_run LIMIT @l",
                ReadScript,
                ("n", UnixTime.ToMs(now)), ("l", (long)max)),
            ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredScript>> ClaimDueSchedulesAsync(DateTimeOffset now, int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var leases = _db.Leases;
        leases.Claimed();
        return await _db.WriteAsync(
            async write =>
            {
                var addresses = await write.ListAsync(
                    ClaimSchedulesSql, r => r.GetString(0), ("n", UnixTime.ToMs(now)), ("l", (long)max), ("o", leases.Owner), ("d", leases.DurationMs)).ConfigureAwait(false);
                return addresses.Count == 0
                    ? []
                    : await write.ListAsync($"SELECT {ScriptColumns} WHERE s.address = ANY(@a) ORDER BY s.next_run, s.address", ReadScript, ("a", addresses.ToArray())).ConfigureAwait(false);
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> NextScheduleAsync(CancellationToken ct = default)
        => await _db.ReadAsync(
            read => read.Int64Async(NextScheduleSql, ("now", UnixTime.ToMs(DateTimeOffset.UtcNow)), ("o", _db.Leases.Owner)),
            ct).ConfigureAwait(false) is { } ms ? UnixTime.FromMs(ms) : null;

    /// <inheritdoc/>
    public Task<long> RecordRunAsync(ScriptRun run, int keep, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return _db.WriteAsync(write => write.InsertRunAsync(run, now, keep), ct);
    }

    private async Task<StoreResult<T>> ChangeAsync<T>(
        string address, long? ownerId, Func<PgWrite, ScriptAddress, Task<StoreResult<T>>> change, CancellationToken ct)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.ScriptNotAllowed(address);
        }

        return await _db.WriteAsync(
            async write => await ReadAddressAsync(write, normalized, forUpdate: true).ConfigureAwait(false) is { } allowed && (ownerId is null || allowed.OwnerId == ownerId)
                ? await change(write, allowed).ConfigureAwait(false)
                : Failures.ScriptNotAllowed(normalized),
            ct).ConfigureAwait(false);
    }

    private static async Task DeleteScriptAsync(PgWrite write, string address)
    {
        await write.ExecuteAsync("DELETE FROM script_runs WHERE address = @a", ("a", address)).ConfigureAwait(false);
        await write.ExecuteAsync("DELETE FROM scripts WHERE address = @a", ("a", address)).ConfigureAwait(false);
    }

    private static Task<ScriptAddress?> ReadAddressAsync(PgWrite read, string address, bool forUpdate = false)
        => read.FirstAsync(
            "SELECT sa.address, sa.owner_id, a.address, sa.created FROM script_addresses sa JOIN accounts a ON a.id = sa.owner_id WHERE sa.address = @a"
            + (forUpdate ? " FOR UPDATE OF sa" : string.Empty),
            r => new ScriptAddress(r.GetString(0), r.GetInt64(1), r.GetString(2), UnixTime.FromMs(r.GetInt64(3))),
            ("a", address));

    private static Task<StoredScript?> ReadScriptAsync(PgWrite read, string address)
        => read.FirstAsync($"SELECT {ScriptColumns} WHERE s.address = @a", ReadScript, ("a", address));

    private static StoredScript ReadScript(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetInt64(1),
        r.GetString(2),
        r.GetString(3),
        r.GetInt64(4),
        r.GetString(5),
        UnixTime.FromMs(r.GetInt64(6)),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : UnixTime.FromMs(r.GetInt64(8)),
        r.GetString(9),
        r.GetInt64(10));

    private static ScriptRun ReadRun(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new ScriptRun(
            r.GetInt64(0), r.GetString(1), UnixTime.FromMs(r.GetInt64(2)), r.GetString(3), r.GetString(4), r.GetBoolean(5), r.GetInt64(6),
            Text(7), Text(8), Text(9), Text(10), Text(11), Text(12), r.GetInt64(13), r.GetInt64(14));
    }
}
