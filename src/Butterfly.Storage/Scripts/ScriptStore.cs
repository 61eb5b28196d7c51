using Butterfly.Storage.Internal;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// Programmable addresses: the operator's allow list (address → owner), each address's script with
/// its state and schedule, and the run log. Operations an owner makes pass <c>ownerId</c>: an address
/// the account does not own is answered as not allowed, whether or not it exists; the operator passes
/// null. Runs are committed through <see cref="DeliveryStore"/> (<see cref="DeliveryCommit.ScriptRun"/>).
/// </summary>
public sealed class ScriptStore : IScriptStore
{
    private const string ScriptColumns =
        "s.address, sa.owner_id, a.address, s.source, s.version, s.hash, s.updated, s.schedule, s.next_run, s.state, s.state_version "
        + "FROM scripts s JOIN script_addresses sa ON sa.address = s.address JOIN accounts a ON a.id = sa.owner_id";

    private const string RunColumns =
        "id, address, at, trigger, outcome, committed, version, delivery, sender, message_id, effects, error, log, statements, elapsed_us FROM script_runs";

    private readonly StoreCore _core;
    private readonly Lazy<Task<ConcurrentDictionary<string, byte>>> _scripted;

    internal ScriptStore(StoreCore core)
    {
        _core = core;
        _scripted = new(LoadScriptedAsync);
    }

    /// <summary>
    /// Lets <paramref name="address"/> have a script owned by <paramref name="owner"/> (or gives it a new owner).
    /// An account's own address may be scripted by that account (an auto-responder): its mail then goes to the script.
    /// </summary>
    /// <returns>The allowed address; or <see cref="StoreError.AccountInvalidAddress"/>, <see cref="StoreError.AccountNotFound"/>
    /// (the owner), <see cref="StoreError.AddressTaken"/> (an alias or list has it, or another account).</returns>
    public async Task<StoreResult<ScriptAddress>> AllowAsync(string address, string owner, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized) || address.StartsWith('@') || !address.Contains('@', StringComparison.Ordinal))
        {
            return Failures.InvalidAddress();
        }

        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _core.Writer.EnqueueAsync<StoreResult<ScriptAddress>>(
            context =>
            {
                var ownerId = AccountStore.TryNormalize(owner, out var ownerAddress)
                    ? context.Command("SELECT id FROM accounts WHERE address = $a").Bind("$a", ownerAddress).ScalarInt64()
                    : null;
                if (ownerId is null)
                {
                    return Failures.AccountNotFound(owner);
                }

                var ownAddress = string.Equals(normalized, ownerAddress, StringComparison.Ordinal);
                if (AddressRows.OwnerOf(context, normalized, skipAccounts: ownAddress) is { } taken && taken != "a script address")
                {
                    return Failures.AddressTaken(normalized, taken);
                }

                context.Command("INSERT INTO script_addresses (address, owner_id, created) VALUES ($a, $o, $c) "
                        + "ON CONFLICT (address) DO UPDATE SET owner_id = excluded.owner_id")
                    .Bind("$a", normalized).Bind("$o", ownerId.Value).Bind("$c", now).ExecuteNonQuery();
                return StoreResult<ScriptAddress>.Success(ReadAddress(context.Session, normalized)!);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes <paramref name="address"/> off the allow list with its script, state and log. Mail
    /// still waiting for the script is left in the queue; the script worker bounces it.
    /// </summary>
    /// <returns>The address as it was; or <see cref="StoreError.ScriptNotAllowed"/>.</returns>
    public async Task<StoreResult<ScriptAddress>> DisallowAsync(string address, CancellationToken ct = default)
    {
        var result = await ChangeAsync(address, null, (context, allowed) =>
        {
            DeleteScript(context, allowed.Address);
            context.Command("DELETE FROM script_addresses WHERE address = $a").Bind("$a", allowed.Address).ExecuteNonQuery();
            return StoreResult<ScriptAddress>.Success(allowed);
        }, ct).ConfigureAwait(false);
        await NoteAsync(result.Value?.Address, scripted: false).ConfigureAwait(false);
        return result;
    }

    /// <summary>The allowed address and its owner; null when it is not allowed.</summary>
    public async Task<ScriptAddress?> FindAddressAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return null;
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return ReadAddress(lease.Session, normalized);
    }

    /// <summary>
    /// Whether <paramref name="address"/> (normalized) has a script: the delivery pipeline's routing
    /// question, asked for every local recipient, so "no" is answered from memory (the addresses
    /// with a script, read once and kept by this store's own changes). A "yes" is checked in the
    /// database, which a deleted owner's account may have changed behind the set's back.
    /// </summary>
    public async ValueTask<bool> HasScriptAsync(string address, CancellationToken ct = default)
    {
        var scripted = _scripted.Value.IsCompletedSuccessfully ? _scripted.Value.Result : await _scripted.Value.ConfigureAwait(false);
        if (scripted.IsEmpty || !scripted.ContainsKey(address))
        {
            return false;
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        if (lease.Command("SELECT 1 FROM scripts WHERE address = $a").Bind("$a", address).ScalarInt64() is not null)
        {
            return true;
        }

        scripted.TryRemove(address, out _);
        return false;
    }

    /// <summary>The script of <paramref name="address"/>; null when none (or, with <paramref name="ownerId"/>, not the owner's).</summary>
    public async Task<StoredScript?> GetAsync(string address, long? ownerId = null, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return null;
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var script = ReadScript(lease.Session, normalized);
        return script is not null && (ownerId is null || script.OwnerId == ownerId) ? script : null;
    }

    /// <summary>The allowed addresses (of one owner, when given) with their scripts, ordered by address.</summary>
    public async Task<IReadOnlyList<ScriptSummary>> ListAsync(long? ownerId = null, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var command = lease.Command(
                "SELECT sa.address, a.address, s.version, s.hash, s.updated, s.schedule, s.next_run, "
                + "(SELECT COUNT(*) FROM queue q WHERE q.kind = $k AND q.recipients_json = json_array(sa.address)) "
                + "FROM script_addresses sa JOIN accounts a ON a.id = sa.owner_id LEFT JOIN scripts s ON s.address = sa.address "
                + "WHERE $o IS NULL OR sa.owner_id = $o ORDER BY sa.address")
            .Bind("$k", (long)QueueKind.Script).Bind("$o", ownerId);
        var list = new List<ScriptSummary>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new ScriptSummary(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetNullableString(3),
                reader.IsDBNull(4) ? null : UnixTime.FromMs(reader.GetInt64(4)),
                reader.GetNullableString(5),
                reader.IsDBNull(6) ? null : UnixTime.FromMs(reader.GetInt64(6)),
                (int)reader.GetInt64(7)));
        }

        return list;
    }

    /// <summary>
    /// Stores a new version of the script of an allowed address (the caller has parsed it). The state
    /// is kept across versions.
    /// </summary>
    /// <returns>The script; or <see cref="StoreError.ScriptNotAllowed"/>.</returns>
    public async Task<StoreResult<StoredScript>> PutAsync(
        string address, long? ownerId, string source, string hash, string? schedule, DateTimeOffset? nextRun, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var result = await ChangeAsync(address, ownerId, (context, allowed) =>
        {
            context.Command(
                    "INSERT INTO scripts (address, source, version, hash, updated, schedule, next_run) VALUES ($a, $s, 1, $h, $u, $sc, $n) "
                    + "ON CONFLICT (address) DO UPDATE SET source = excluded.source, version = version + 1, hash = excluded.hash, "
                    + "updated = excluded.updated, schedule = excluded.schedule, next_run = excluded.next_run")
                .Bind("$a", allowed.Address).Bind("$s", source).Bind("$h", hash).Bind("$u", now).Bind("$sc", schedule)
                .Bind("$n", nextRun is { } next ? UnixTime.ToMs(next) : null).ExecuteNonQuery();
            return StoreResult<StoredScript>.Success(ReadScript(context.Session, allowed.Address)!);
        }, ct).ConfigureAwait(false);
        await NoteAsync(result.Value?.Address, scripted: true).ConfigureAwait(false);
        return result;
    }

    /// <summary>Deletes the script of an address with its state and log; the address stays allowed.</summary>
    /// <returns>The script as it was; or <see cref="StoreError.ScriptNotAllowed"/>, <see cref="StoreError.ScriptNotFound"/>.</returns>
    public async Task<StoreResult<StoredScript>> DeleteAsync(string address, long? ownerId = null, CancellationToken ct = default)
    {
        var result = await ChangeAsync(address, ownerId, (context, allowed) =>
        {
            if (ReadScript(context.Session, allowed.Address) is not { } script)
            {
                return Failures.ScriptNotFound(allowed.Address);
            }

            DeleteScript(context, allowed.Address);
            return StoreResult<StoredScript>.Success(script);
        }, ct).ConfigureAwait(false);
        await NoteAsync(result.Value?.Address, scripted: false).ConfigureAwait(false);
        return result;
    }

    /// <summary>Replaces the state (the caller checked it is a JSON object within the limit).</summary>
    /// <returns>The script with its new state; or <see cref="StoreError.ScriptNotAllowed"/>, <see cref="StoreError.ScriptNotFound"/>.</returns>
    public Task<StoreResult<StoredScript>> SetStateAsync(string address, long? ownerId, string state, CancellationToken ct = default) =>
        ChangeAsync(address, ownerId, (context, allowed) =>
        {
            var changed = context.Command("UPDATE scripts SET state = $s, state_version = state_version + 1 WHERE address = $a")
                .Bind("$s", state).Bind("$a", allowed.Address).ExecuteNonQuery();
            return changed == 0
                ? Failures.ScriptNotFound(allowed.Address)
                : StoreResult<StoredScript>.Success(ReadScript(context.Session, allowed.Address)!);
        }, ct);

    /// <summary>The log rows of an address after <paramref name="since"/> (a run id), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ScriptRun>> ListRunsAsync(string address, long since, int limit, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return [];
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return ReadRuns(lease.Command($"SELECT {RunColumns} WHERE address = $a AND id > $s ORDER BY id LIMIT $l")
            .Bind("$a", normalized).Bind("$s", since).Bind("$l", (long)limit));
    }

    /// <summary>The newest <paramref name="limit"/> log rows of an address, oldest first.</summary>
    public async Task<IReadOnlyList<ScriptRun>> LatestRunsAsync(string address, int limit, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return [];
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var runs = ReadRuns(lease.Command($"SELECT {RunColumns} WHERE address = $a ORDER BY id DESC LIMIT $l").Bind("$a", normalized).Bind("$l", (long)limit));
        runs.Reverse();
        return runs;
    }

    /// <summary>
    /// Claims the due schedules for this store's worker: with one daemon per data folder there is no one else
    /// to claim from, so this is <see cref="ListDueSchedulesAsync"/> (the worker's lanes keep a script's runs apart).
    /// </summary>
    public Task<IReadOnlyList<StoredScript>> ClaimDueSchedulesAsync(DateTimeOffset now, int max, CancellationToken ct = default)
        => ListDueSchedulesAsync(now, max, ct);

    /// <summary>Scripts whose next scheduled run is due at <paramref name="now"/>, most overdue first.</summary>
    public async Task<IReadOnlyList<StoredScript>> ListDueSchedulesAsync(DateTimeOffset now, int max, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        var command = lease.Command($"SELECT {ScriptColumns} WHERE s.next_run IS NOT NULL AND s.next_run <= $n ORDER BY s.next_run LIMIT $l")
            .Bind("$n", UnixTime.ToMs(now)).Bind("$l", (long)max);
        var list = new List<StoredScript>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(ReadScript(reader));
        }

        return list;
    }

    /// <summary>When the earliest scheduled run falls due; null when no script has a schedule.</summary>
    public async Task<DateTimeOffset?> NextScheduleAsync(CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT MIN(next_run) FROM scripts").ScalarInt64() is { } ms ? UnixTime.FromMs(ms) : null;
    }

    /// <summary>Writes a log row on its own (a run that committed nothing, or a dry run's note).</summary>
    public Task<long> RecordRunAsync(ScriptRun run, int keep, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return _core.Writer.EnqueueAsync(context => ScriptRows.InsertRun(context, run, now, keep), ct);
    }

    private async Task<StoreResult<T>> ChangeAsync<T>(
        string address, long? ownerId, Func<WriterContext, ScriptAddress, StoreResult<T>> change, CancellationToken ct)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.ScriptNotAllowed(address);
        }

        return await _core.Writer.EnqueueAsync(
            context => ReadAddress(context.Session, normalized) is { } allowed && (ownerId is null || allowed.OwnerId == ownerId)
                ? change(context, allowed)
                : Failures.ScriptNotAllowed(normalized),
            ct).ConfigureAwait(false);
    }

    private async Task<ConcurrentDictionary<string, byte>> LoadScriptedAsync()
    {
        using var lease = await _core.Readers.RentAsync(CancellationToken.None).ConfigureAwait(false);
        return new ConcurrentDictionary<string, byte>(
            lease.Command("SELECT address FROM scripts").Strings().Select(a => KeyValuePair.Create(a, (byte)0)), StringComparer.Ordinal);
    }

    private async Task NoteAsync(string? address, bool scripted)
    {
        if (address is null)
        {
            return;
        }

        var set = await _scripted.Value.ConfigureAwait(false);
        if (scripted)
        {
            set[address] = 0;
        }
        else
        {
            set.TryRemove(address, out _);
        }
    }

    private static void DeleteScript(WriterContext context, string address)
    {
        context.Command("DELETE FROM script_runs WHERE address = $a").Bind("$a", address).ExecuteNonQuery();
        context.Command("DELETE FROM scripts WHERE address = $a").Bind("$a", address).ExecuteNonQuery();
    }

    private static ScriptAddress? ReadAddress(SqliteSession session, string address)
    {
        using var reader = session.Command(
                "SELECT sa.address, sa.owner_id, a.address, sa.created FROM script_addresses sa JOIN accounts a ON a.id = sa.owner_id WHERE sa.address = $a")
            .Bind("$a", address).ExecuteReader();
        return reader.Read() ? new ScriptAddress(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), UnixTime.FromMs(reader.GetInt64(3))) : null;
    }

    private static StoredScript? ReadScript(SqliteSession session, string address)
    {
        using var reader = session.Command($"SELECT {ScriptColumns} WHERE s.address = $a").Bind("$a", address).ExecuteReader();
        return reader.Read() ? ReadScript(reader) : null;
    }

    private static StoredScript ReadScript(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetString(5),
        UnixTime.FromMs(reader.GetInt64(6)),
        reader.GetNullableString(7),
        reader.IsDBNull(8) ? null : UnixTime.FromMs(reader.GetInt64(8)),
        reader.GetString(9),
        reader.GetInt64(10));

    private static List<ScriptRun> ReadRuns(SqliteCommand command)
    {
        var list = new List<ScriptRun>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new ScriptRun(
                reader.GetInt64(0),
                reader.GetString(1),
                UnixTime.FromMs(reader.GetInt64(2)),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt64(5) != 0,
                reader.GetInt64(6),
                reader.GetNullableString(7),
                reader.GetNullableString(8),
                reader.GetNullableString(9),
                reader.GetNullableString(10),
                reader.GetNullableString(11),
                reader.GetNullableString(12),
                reader.GetInt64(13),
                reader.GetInt64(14)));
        }

        return list;
    }
}
