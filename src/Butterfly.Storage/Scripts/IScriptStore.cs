namespace Butterfly.Storage;

/// <summary>
/// Programmable addresses: the allow list, scripts with their state and schedule, the run log.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IScriptStore
{
    /// <summary>
    /// Lets <paramref name="address"/> have a script owned by <paramref name="owner"/> (or gives it a new owner).
    /// An account's own address may be scripted by that account (an auto-responder): its mail then goes to the script.
    /// </summary>
    /// <returns>The allowed address; or <see cref="StoreError.AccountInvalidAddress"/>, <see cref="StoreError.AccountNotFound"/>
    /// (the owner), <see cref="StoreError.AddressTaken"/> (an alias or list has it, or another account).</returns>
    Task<StoreResult<ScriptAddress>> AllowAsync(string address, string owner, CancellationToken ct = default);

    /// <summary>
    /// Takes <paramref name="address"/> off the allow list with its script, state and log. Mail
    /// still waiting for the script is left in the queue; the script worker bounces it.
    /// </summary>
    /// <returns>The address as it was; or <see cref="StoreError.ScriptNotAllowed"/>.</returns>
    Task<StoreResult<ScriptAddress>> DisallowAsync(string address, CancellationToken ct = default);

    /// <summary>The allowed address and its owner; null when it is not allowed.</summary>
    Task<ScriptAddress?> FindAddressAsync(string address, CancellationToken ct = default);

    /// <summary>
    /// Whether <paramref name="address"/> (normalized) has a script: the delivery pipeline's routing
    /// question, asked for every local recipient, so "no" is answered from memory (the addresses
    /// with a script, read once and kept by this store's own changes). A "yes" is checked in the
    /// database, which a deleted owner's account may have changed behind the set's back.
    /// </summary>
    ValueTask<bool> HasScriptAsync(string address, CancellationToken ct = default);

    /// <summary>The script of <paramref name="address"/>; null when none (or, with <paramref name="ownerId"/>, not the owner's).</summary>
    Task<StoredScript?> GetAsync(string address, long? ownerId = null, CancellationToken ct = default);

    /// <summary>The allowed addresses (of one owner, when given) with their scripts, ordered by address.</summary>
    Task<IReadOnlyList<ScriptSummary>> ListAsync(long? ownerId = null, CancellationToken ct = default);

    /// <summary>
    /// Stores a new version of the script of an allowed address (the caller has parsed it). The state
    /// is kept across versions.
    /// </summary>
    /// <returns>The script; or <see cref="StoreError.ScriptNotAllowed"/>.</returns>
    Task<StoreResult<StoredScript>> PutAsync(
        string address, long? ownerId, string source, string hash, string? schedule, DateTimeOffset? nextRun, CancellationToken ct = default);

    /// <summary>Deletes the script of an address with its state and log; the address stays allowed.</summary>
    /// <returns>The script as it was; or <see cref="StoreError.ScriptNotAllowed"/>, <see cref="StoreError.ScriptNotFound"/>.</returns>
    Task<StoreResult<StoredScript>> DeleteAsync(string address, long? ownerId = null, CancellationToken ct = default);

    /// <summary>Replaces the state (the caller checked it is a JSON object within the limit).</summary>
    /// <returns>The script with its new state; or <see cref="StoreError.ScriptNotAllowed"/>, <see cref="StoreError.ScriptNotFound"/>.</returns>
    Task<StoreResult<StoredScript>> SetStateAsync(string address, long? ownerId, string state, CancellationToken ct = default);

    /// <summary>The log rows of an address after <paramref name="since"/> (a run id), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ScriptRun>> ListRunsAsync(string address, long since, int limit, CancellationToken ct = default);

    /// <summary>The newest <paramref name="limit"/> log rows of an address, oldest first.</summary>
    Task<IReadOnlyList<ScriptRun>> LatestRunsAsync(string address, int limit, CancellationToken ct = default);

    /// <summary>Scripts whose next scheduled run is due at <paramref name="now"/>, most overdue first.</summary>
    Task<IReadOnlyList<StoredScript>> ListDueSchedulesAsync(DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> scripts whose next scheduled run is due at <paramref name="now"/>, most
    /// overdue first, for this store's schedule worker: a script claimed by another store (another daemon on the
    /// same database) is not returned until that claim ends, which the run's commit moving the next run time does
    /// (or the claim's expiry, when its daemon died). Scripts this store claimed already are returned again. On
    /// SQLite (one daemon per data folder) this is <see cref="ListDueSchedulesAsync"/>.
    /// </summary>
    Task<IReadOnlyList<StoredScript>> ClaimDueSchedulesAsync(DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>
    /// When the earliest scheduled run falls due (for a due run another store has claimed: when that claim runs
    /// out); null when no script has a schedule.
    /// </summary>
    Task<DateTimeOffset?> NextScheduleAsync(CancellationToken ct = default);

    /// <summary>Writes a log row on its own (a run that committed nothing, or a dry run's note).</summary>
    Task<long> RecordRunAsync(ScriptRun run, int keep, CancellationToken ct = default);
}
