using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// Aliases: an address delivering to one or more accounts, or <c>@domain</c>, the catch-all of a domain.
/// An alias never has the address of an account or a list.
/// </summary>
public sealed class AliasStore : IAliasStore
{
    private const string TargetsSql =
        "SELECT acc.id, acc.address, acc.created FROM aliases al JOIN accounts acc ON acc.id = al.account_id "
        + "WHERE al.address = $a ORDER BY acc.address";

    private readonly StoreCore _core;

    internal AliasStore(StoreCore core) => _core = core;

    /// <summary>Adds an alias, or more accounts to an existing one.</summary>
    /// <param name="address">The alias (<c>local@domain</c>, or <c>@domain</c> for a catch-all).</param>
    /// <param name="accounts">The addresses of the accounts it delivers to (at least one).</param>
    /// <param name="ct">Cancels before the write starts.</param>
    /// <returns>The alias with all its accounts; or <see cref="StoreError.AccountInvalidAddress"/>,
    /// <see cref="StoreError.AccountNotFound"/> (a target), <see cref="StoreError.AddressTaken"/> (an account or list has the address).</returns>
    public async Task<StoreResult<Alias>> AddAsync(string address, IReadOnlyList<string> accounts, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (!AccountStore.TryNormalize(address, out var normalized) || accounts.Count == 0)
        {
            return Failures.InvalidAddress();
        }

        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (AddressRows.OwnerOf(context, normalized) is { } owner && owner != "an alias")
                {
                    return Failures.AddressTaken(normalized, owner);
                }

                var insert = context.Command("INSERT OR IGNORE INTO aliases (address, account_id, created) VALUES ($a, $c, $t)");
                foreach (var account in accounts)
                {
                    var id = AccountStore.TryNormalize(account, out var target)
                        ? context.Command("SELECT id FROM accounts WHERE address = $a").Bind("$a", target).ScalarInt64()
                        : null;
                    if (id is null)
                    {
                        return Failures.AccountNotFound(account);
                    }

                    insert.Bind("$a", normalized).Bind("$c", id.Value).Bind("$t", now).ExecuteNonQuery();
                }

                return StoreResult<Alias>.Success(new Alias(normalized, ReadTargets(context.Command(TargetsSql).Bind("$a", normalized)).Select(a => a.Address).ToList()));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Deletes an alias.</summary>
    /// <returns>The alias as it was; or <see cref="StoreError.AliasNotFound"/>.</returns>
    public async Task<StoreResult<Alias>> DeleteAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.AliasNotFound(address);
        }

        return await _core.Writer.EnqueueAsync(
            context =>
            {
                var targets = ReadTargets(context.Command(TargetsSql).Bind("$a", normalized));
                if (targets.Count == 0)
                {
                    return Failures.AliasNotFound(normalized);
                }

                context.Command("DELETE FROM aliases WHERE address = $a").Bind("$a", normalized).ExecuteNonQuery();
                return StoreResult<Alias>.Success(new Alias(normalized, targets.Select(a => a.Address).ToList()));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Every alias with its accounts, ordered by address.</summary>
    public async Task<IReadOnlyList<Alias>> ListAsync(CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command(
            "SELECT al.address, acc.address FROM aliases al JOIN accounts acc ON acc.id = al.account_id ORDER BY al.address, acc.address")
            .ExecuteReader();
        var aliases = new List<Alias>();
        List<string>? current = null;
        while (reader.Read())
        {
            var address = reader.GetString(0);
            if (aliases.Count == 0 || aliases[^1].Address != address)
            {
                current = [];
                aliases.Add(new Alias(address, current));
            }

            current!.Add(reader.GetString(1));
        }

        return aliases;
    }

    /// <summary>The accounts an alias (or a catch-all, <c>@domain</c>) delivers to; empty when there is no such alias.</summary>
    /// <param name="address">The address, any case.</param>
    /// <param name="ct">Cancels the wait for a read connection.</param>
    public async Task<IReadOnlyList<Account>> ResolveAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return [];
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return ReadTargets(lease.Command(TargetsSql).Bind("$a", normalized));
    }

    /// <summary>The aliases (catch-alls included) that deliver to an account, ordered by address.</summary>
    public async Task<IReadOnlyList<string>> OfAccountAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT address FROM aliases WHERE account_id = $a ORDER BY address").Bind("$a", accountId).Strings();
    }

    private static List<Account> ReadTargets(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var accounts = new List<Account>();
        while (reader.Read())
        {
            accounts.Add(new Account(reader.GetInt64(0), reader.GetString(1), UnixTime.FromMs(reader.GetInt64(2))));
        }

        return accounts;
    }
}
