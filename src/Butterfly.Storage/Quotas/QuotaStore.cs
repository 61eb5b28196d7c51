using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// Storage quotas: each account's usage (kept by the database in the same transaction as every change
/// to its messages) against its own quota or the default one.
/// </summary>
public sealed class QuotaStore : IQuotaStore
{
    /// <summary>The stored value that means "no quota for this account" (NULL means the default).</summary>
    internal const long UnlimitedMarker = -1;

    internal const string StateColumns = "id, address, usage, quota";

    private readonly StoreCore _core;

    internal QuotaStore(StoreCore core) => _core = core;

    /// <summary>The usage and quota of an account; null when it does not exist.</summary>
    public async Task<QuotaState?> GetAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command($"SELECT {StateColumns} FROM accounts WHERE id = $a").Bind("$a", accountId).ExecuteReader();
        return reader.Read() ? Read(reader, _core.Options.DefaultQuotaBytes) : null;
    }

    /// <summary>The usage and quota of an account by address.</summary>
    /// <returns>The state; or <see cref="StoreError.AccountNotFound"/>.</returns>
    public async Task<StoreResult<QuotaState>> GetAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.AccountNotFound(address);
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command($"SELECT {StateColumns} FROM accounts WHERE address = $a").Bind("$a", normalized).ExecuteReader();
        return reader.Read() ? StoreResult<QuotaState>.Success(Read(reader, _core.Options.DefaultQuotaBytes)) : Failures.AccountNotFound(normalized);
    }

    /// <summary>Sets an account's quota: its own (<paramref name="bytes"/>), none, or back to the default.</summary>
    /// <param name="address">The account.</param>
    /// <param name="setting">What to set.</param>
    /// <param name="bytes">The quota for <see cref="QuotaSetting.Account"/>; ignored otherwise.</param>
    /// <param name="ct">Cancels before the write starts.</param>
    /// <returns>The new state; or <see cref="StoreError.AccountNotFound"/>.</returns>
    public async Task<StoreResult<QuotaState>> SetAsync(string address, QuotaSetting setting, long bytes = 0, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.AccountNotFound(address);
        }

        object value = setting switch
        {
            QuotaSetting.Account => bytes,
            QuotaSetting.Unlimited => UnlimitedMarker,
            _ => DBNull.Value,
        };
        var fallback = _core.Options.DefaultQuotaBytes;
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                using var reader = context.Command($"UPDATE accounts SET quota = $q WHERE address = $a RETURNING {StateColumns}")
                    .Bind("$q", value).Bind("$a", normalized).ExecuteReader();
                return reader.Read() ? StoreResult<QuotaState>.Success(Read(reader, fallback)) : Failures.AccountNotFound(normalized);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Reads <see cref="StateColumns"/> from a row.</summary>
    internal static QuotaState Read(SqliteDataReader reader, long? fallback)
    {
        var (limit, setting) = reader.IsDBNull(3)
            ? (fallback, QuotaSetting.Default)
            : reader.GetInt64(3) == UnlimitedMarker ? ((long?)null, QuotaSetting.Unlimited) : (reader.GetInt64(3), QuotaSetting.Account);
        return new QuotaState(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), limit, setting);
    }
}
