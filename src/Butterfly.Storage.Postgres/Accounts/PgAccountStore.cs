using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;
using Npgsql;

namespace Butterfly.Storage.Postgres;

/// <summary>Accounts and their passwords on PostgreSQL; hashes are computed on the hashing threads, never in a transaction.</summary>
public sealed class PgAccountStore : IAccountStore
{
    private const string AccountColumns = "id, address, created";

    // As the SQLite store: by address, or else by folded key (NameRules.AddressKey).
    private const string ByAddress = "WHERE address = @a OR address_key = @k ORDER BY address = @a DESC LIMIT 1";

    private const string SendAsSql = """
        SELECT address FROM accounts WHERE id = @a
        UNION
        SELECT al.address FROM aliases al
        WHERE al.account_id = @a AND substr(al.address, 1, 1) != '@'
          AND NOT EXISTS (SELECT 1 FROM aliases other WHERE other.address = al.address AND other.account_id != @a)
        UNION
        SELECT address FROM lists WHERE owner_id = @a
        ORDER BY 1
        """;

    private readonly PgDatabase _db;

    internal PgAccountStore(PgDatabase db) => _db = db;

    private int Cost => _db.Options.PasswordCost;

    /// <inheritdoc/>
    public async Task<StoreResult<Account>> CreateAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!AccountStore.TryNormalize(address, out var normalized, out var key, out var problem))
        {
            return Failures.InvalidAddress(problem);
        }

        if (NameRules.MixedScriptProblem(normalized[..normalized.LastIndexOf('@')]) is { } mixed)
        {
            return Failures.InvalidAddress(mixed);
        }

        var cost = Cost;
        if (!_db.Hashing.TryQueue(() => PasswordHasher.Hash(password, cost), ct, out var hashing))
        {
            return Failures.Busy();
        }

        var hash = await hashing.ConfigureAwait(false);
        var created = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _db.WriteAsync<StoreResult<Account>>(
            async write =>
            {
                var id = await write.Int64Async(
                    "INSERT INTO accounts (address, address_key, password_hash, created, modseq) VALUES (@a, @k, @h, @c, 1) ON CONFLICT DO NOTHING RETURNING id",
                    ("a", normalized), ("k", key), ("h", hash), ("c", created)).ConfigureAwait(false);
                if (id is null)
                {
                    return Failures.AccountExists(normalized);
                }

                if (await write.OwnerOfAsync(normalized, skipAccounts: true).ConfigureAwait(false) is { } owner)
                {
                    return Failures.AddressTaken(normalized, owner);
                }

                foreach (var name in FolderNames.Defaults)
                {
                    await write.ExecuteAsync("INSERT INTO folders (account_id, name, modseq) VALUES (@a, @n, 1)", ("a", id.Value), ("n", name)).ConfigureAwait(false);
                }

                return StoreResult<Account>.Success(new Account(id.Value, normalized, UnixTime.FromMs(created)));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<Account>> AuthenticateAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        (Account Account, string Hash)? found = null;
        if (AccountStore.TryNormalize(address, out var normalized, out var key, out _))
        {
            found = await _db.ReadAsync(
                read => read.FirstAsync(
                    $"SELECT {AccountColumns}, password_hash FROM accounts {ByAddress}",
                    r => ((Account, string)?)(ReadAccount(r), r.GetString(3)),
                    ("a", normalized), ("k", key)),
                ct).ConfigureAwait(false);
        }

        var cost = Cost;
        Task<bool> checking;
        var queued = found is not { } row
            ? _db.Hashing.TryQueue(() => Burn(password, cost), ct, out checking)
            : _db.Hashing.TryQueue(() => PasswordHasher.Verify(password, row.Hash), ct, out checking);
        if (!queued)
        {
            return Failures.Busy();
        }

        if (!await checking.ConfigureAwait(false) || found is not var (account, hash))
        {
            return Failures.AuthenticationFailed();
        }

        if (PasswordHasher.NeedsRehash(hash, cost) && _db.Hashing.TryQueue(() => PasswordHasher.Hash(password, cost), ct, out var rehashing))
        {
            // An older format or a cost raised since: upgrade the hash now that the password is known.
            var upgraded = await rehashing.ConfigureAwait(false);
            await _db.WriteAsync(
                write => write.ExecuteAsync(
                    "UPDATE accounts SET password_hash = @n WHERE id = @a AND password_hash = @o", ("n", upgraded), ("a", account.Id), ("o", hash)),
                ct).ConfigureAwait(false);
        }

        return StoreResult<Account>.Success(account);
    }

    /// <inheritdoc/>
    public async Task<Account?> FindAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized, out var key, out _))
        {
            return null;
        }

        return await _db.ReadAsync(
            read => read.FirstAsync($"SELECT {AccountColumns} FROM accounts {ByAddress}", ReadAccount, ("a", normalized), ("k", key)),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct = default)
        => await _db.ReadAsync(read => read.ListAsync($"SELECT {AccountColumns} FROM accounts ORDER BY address", ReadAccount), ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<StoreResult<Account>> SetPasswordAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!AccountStore.TryNormalize(address, out var normalized, out var key, out _))
        {
            return Failures.AccountNotFound(address);
        }

        var cost = Cost;
        if (!_db.Hashing.TryQueue(() => PasswordHasher.Hash(password, cost), ct, out var hashing))
        {
            return Failures.Busy();
        }

        var hash = await hashing.ConfigureAwait(false);
        return await _db.WriteAsync<StoreResult<Account>>(
            async write => await write.FirstAsync(
                    $"UPDATE accounts SET password_hash = @h, modseq = modseq + 1 WHERE id = (SELECT id FROM accounts {ByAddress}) RETURNING {AccountColumns}",
                    ReadAccount,
                    ("h", hash), ("a", normalized), ("k", key)).ConfigureAwait(false) is { } account
                ? StoreResult<Account>.Success(account)
                : Failures.AccountNotFound(normalized),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreResult<Account>> DeleteAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized, out var key, out _))
        {
            return Failures.AccountNotFound(address);
        }

        return await _db.WriteAsync<StoreResult<Account>>(
            async write =>
            {
                var account = await write.FirstAsync($"SELECT {AccountColumns} FROM accounts {ByAddress} FOR UPDATE", ReadAccount, ("a", normalized), ("k", key))
                    .ConfigureAwait(false);
                if (account is null)
                {
                    return Failures.AccountNotFound(normalized);
                }

                var a = ("a", (object?)account.Id);
                var contentIds = await write.ListAsync(
                    "SELECT DISTINCT m.content_id FROM messages m JOIN folders f ON f.id = m.folder_id WHERE f.account_id = @a", r => r.GetInt64(0), a)
                    .ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM messages WHERE folder_id IN (SELECT id FROM folders WHERE account_id = @a)", a).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM expunged WHERE folder_id IN (SELECT id FROM folders WHERE account_id = @a)", a).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM folders WHERE account_id = @a", a).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM folder_changes WHERE account_id = @a", a).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM change_floors WHERE account_id = @a", a).ConfigureAwait(false);
                await write.ExecuteAsync("DELETE FROM accounts WHERE id = @a", a).ConfigureAwait(false);
                await write.DeleteUnreferencedAsync(contentIds).ConfigureAwait(false);
                return StoreResult<Account>.Success(account);
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> SendAsAsync(long accountId, CancellationToken ct = default)
        => await _db.ReadAsync(read => read.ListAsync(SendAsSql, r => r.GetString(0), ("a", accountId)), ct).ConfigureAwait(false);

    private static bool Burn(string password, int cost)
    {
        PasswordHasher.Burn(password, cost);
        return false;
    }

    private static Account ReadAccount(NpgsqlDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), UnixTime.FromMs(reader.GetInt64(2)));
}
