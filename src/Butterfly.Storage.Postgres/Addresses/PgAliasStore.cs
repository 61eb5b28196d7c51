using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>Aliases and catch-alls on PostgreSQL. An alias never has the address of an account or a list.</summary>
public sealed class PgAliasStore : IAliasStore
{
    private const string TargetsSql =
        "SELECT acc.id, acc.address, acc.created FROM aliases al JOIN accounts acc ON acc.id = al.account_id WHERE al.address = @a ORDER BY acc.address";

    private readonly PgDatabase _db;

    internal PgAliasStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<StoreResult<Alias>> AddAsync(string address, IReadOnlyList<string> accounts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (!AccountStore.TryNormalize(address, out var normalized) || accounts.Count == 0)
        {
            return Failures.InvalidAddress();
        }

        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _db.WriteAsync<StoreResult<Alias>>(
            async write =>
            {
                if (await write.OwnerOfAsync(normalized).ConfigureAwait(false) is { } owner && owner != "an alias")
                {
                    return Failures.AddressTaken(normalized, owner);
                }

                foreach (var account in accounts)
                {
                    var id = AccountStore.TryNormalize(account, out var target)
                        ? await write.Int64Async("SELECT id FROM accounts WHERE address = @a", ("a", target)).ConfigureAwait(false)
                        : null;
                    if (id is null)
                    {
                        return Failures.AccountNotFound(account);
                    }

                    await write.ExecuteAsync(
                        "INSERT INTO aliases (address, account_id, created) VALUES (@a, @c, @t) ON CONFLICT DO NOTHING",
                        ("a", normalized), ("c", id.Value), ("t", now)).ConfigureAwait(false);
                }

                var targets = await write.ListAsync(TargetsSql, ReadAccount, ("a", normalized)).ConfigureAwait(false);
                return StoreResult<Alias>.Success(new Alias(normalized, targets.Select(a => a.Address).ToList()));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<Alias>> DeleteAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.AliasNotFound(address);
        }

        return await _db.WriteAsync<StoreResult<Alias>>(
            async write =>
            {
                var targets = await write.ListAsync(TargetsSql + " FOR UPDATE OF al", ReadAccount, ("a", normalized)).ConfigureAwait(false);
                if (targets.Count == 0)
                {
                    return Failures.AliasNotFound(normalized);
                }

                await write.ExecuteAsync("DELETE FROM aliases WHERE address = @a", ("a", normalized)).ConfigureAwait(false);
                return StoreResult<Alias>.Success(new Alias(normalized, targets.Select(a => a.Address).ToList()));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Alias>> ListAsync(CancellationToken ct = default)
    {
        var rows = await _db.ReadAsync(
            read => read.ListAsync(
                "SELECT al.address, acc.address FROM aliases al JOIN accounts acc ON acc.id = al.account_id ORDER BY al.address, acc.address",
                r => (Alias: r.GetString(0), Account: r.GetString(1))),
            ct).ConfigureAwait(false);
        var aliases = new List<Alias>();
        List<string>? current = null;
        foreach (var (alias, account) in rows)
        {
            if (aliases.Count == 0 || aliases[^1].Address != alias)
            {
                current = [];
                aliases.Add(new Alias(alias, current));
            }

            current!.Add(account);
        }

        return aliases;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Account>> ResolveAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return [];
        }

        return await _db.ReadAsync(read => read.ListAsync(TargetsSql, ReadAccount, ("a", normalized)), ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> OfAccountAsync(long accountId, CancellationToken ct = default)
        => await _db.ReadAsync(
            read => read.ListAsync("SELECT address FROM aliases WHERE account_id = @a ORDER BY address", r => r.GetString(0), ("a", accountId)),
            ct).ConfigureAwait(false);

    private static Account ReadAccount(NpgsqlDataReader reader) => new(reader.GetInt64(0), reader.GetString(1), UnixTime.FromMs(reader.GetInt64(2)));
}
