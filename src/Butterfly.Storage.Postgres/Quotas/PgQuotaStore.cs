using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>Storage quotas on PostgreSQL: usage kept by a trigger in the same transaction as every change to the messages.</summary>
public sealed class PgQuotaStore : IQuotaStore
{
    private readonly PgDatabase _db;

    internal PgQuotaStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<QuotaState?> GetAsync(long accountId, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.ReadQuotaAsync(accountId), ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<StoreResult<QuotaState>> GetAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.AccountNotFound(address);
        }

        return await _db.ReadAsync<StoreResult<QuotaState>>(
            async read => await read.ReadQuotaAsync("WHERE address = @a", ("a", normalized)).ConfigureAwait(false) is { } state
                ? StoreResult<QuotaState>.Success(state)
                : Failures.AccountNotFound(normalized),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<QuotaState>> SetAsync(string address, QuotaSetting setting, long bytes = 0, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.AccountNotFound(address);
        }

        long? value = setting switch
        {
            QuotaSetting.Account => bytes,
            QuotaSetting.Unlimited => QuotaStore.UnlimitedMarker,
            _ => null,
        };
        return await _db.WriteAsync<StoreResult<QuotaState>>(
            async write =>
            {
                await write.ExecuteAsync("UPDATE accounts SET quota = @q::bigint WHERE address = @a", ("q", value), ("a", normalized)).ConfigureAwait(false);
                return await write.ReadQuotaAsync("WHERE address = @a", ("a", normalized)).ConfigureAwait(false) is { } state
                    ? StoreResult<QuotaState>.Success(state)
                    : Failures.AccountNotFound(normalized);
            },
            ct).ConfigureAwait(false);
    }
}
