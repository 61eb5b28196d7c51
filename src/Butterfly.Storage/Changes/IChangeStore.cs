namespace Butterfly.Storage;

/// <summary>
/// What changed since a state, each account's state, and how long the records of changes are kept.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IChangeStore
{
    /// <summary>The account's current state (its modification sequence), or null when it does not exist.</summary>
    Task<long?> StateAsync(long accountId, CancellationToken ct = default);

    /// <summary>
    /// Lists what changed after <paramref name="since"/>, in the account or (with <paramref name="folder"/>) in
    /// one folder, at most about <paramref name="limit"/> changes: a page never splits one state, so a single
    /// command that changed more than <paramref name="limit"/> messages comes whole.
    /// </summary>
    /// <returns>The changes; or <see cref="StoreError.StateTooOld"/>, <see cref="StoreError.FolderNotFound"/>,
    /// <see cref="StoreError.AccountNotFound"/>.</returns>
    Task<StoreResult<ChangeSet>> SinceAsync(long accountId, long since, string? folder, int limit, CancellationToken ct = default);

    /// <summary>
    /// Forgets removals and folder changes recorded before <paramref name="olderThan"/>, raising each account's
    /// floor to the newest state it forgot: a client further behind than that gets <c>state.too-old</c>.
    /// </summary>
    /// <returns>How many records were removed.</returns>
    Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken ct = default);
}
