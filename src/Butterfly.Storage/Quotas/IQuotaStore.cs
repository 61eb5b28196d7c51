namespace Butterfly.Storage;

/// <summary>
/// Each account's storage usage and quota.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IQuotaStore
{
    /// <summary>The usage and quota of an account; null when it does not exist.</summary>
    Task<QuotaState?> GetAsync(long accountId, CancellationToken ct = default);

    /// <summary>The usage and quota of an account by address.</summary>
    /// <returns>The state; or <see cref="StoreError.AccountNotFound"/>.</returns>
    Task<StoreResult<QuotaState>> GetAsync(string address, CancellationToken ct = default);

    /// <summary>Sets an account's quota: its own (<paramref name="bytes"/>), none, or back to the default.</summary>
    /// <param name="address">The account.</param>
    /// <param name="setting">What to set.</param>
    /// <param name="bytes">The quota for <see cref="QuotaSetting.Account"/>; ignored otherwise.</param>
    /// <param name="ct">Cancels before the write starts.</param>
    /// <returns>The new state; or <see cref="StoreError.AccountNotFound"/>.</returns>
    Task<StoreResult<QuotaState>> SetAsync(string address, QuotaSetting setting, long bytes = 0, CancellationToken ct = default);
}
