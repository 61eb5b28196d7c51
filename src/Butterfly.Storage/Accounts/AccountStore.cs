using Butterfly.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Butterfly.Storage;

/// <summary>
/// Accounts and their passwords. Password hashes are computed on a small pool of hashing threads in
/// front of the writer (see <see cref="StoreOptions.MaxQueuedPasswordHashes"/>), never on the writer.
/// </summary>
public sealed partial class AccountStore : IAccountStore
{
    private const string AccountColumns = "id, address, created";

    // An account is found by its address, or else by its folded key (NameRules.AddressKey): ALICE,
    // ａlice and alice are one account. Two accounts that folded alike before keys existed keep
    // working: the older holds the key, the other is found by its exact address.
    private const string ByAddress = "WHERE address = $a OR address_key = $k ORDER BY address = $a DESC LIMIT 1";

    private readonly StoreCore _core;
    private readonly PasswordHashPool _hashing;

    internal AccountStore(StoreCore core, PasswordHashPool hashing)
    {
        _core = core;
        _hashing = hashing;
    }

    private int Cost => _core.Options.PasswordCost;

    /// <summary>Creates an account with the default folders.</summary>
    /// <returns>The account; or <see cref="StoreError.AccountExists"/>, <see cref="StoreError.AccountInvalidAddress"/>, <see cref="StoreError.Busy"/>.</returns>
    public async Task<StoreResult<Account>> CreateAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryNormalize(address, out var normalized, out var key, out var problem))
        {
            return Failures.InvalidAddress(problem);
        }

        if (NameRules.MixedScriptProblem(normalized[..normalized.LastIndexOf('@')]) is { } mixed)
        {
            return Failures.InvalidAddress(mixed);
        }

        var cost = Cost;
        if (!_hashing.TryQueue(() => PasswordHasher.Hash(password, cost), ct, out var hashing))
        {
            return Failures.Busy();
        }

        var hash = await hashing.ConfigureAwait(false);
        var created = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                var id = context.Command(
                        "INSERT INTO accounts (address, address_key, password_hash, created, modseq) VALUES ($a, $k, $h, $c, 1) "
                        + "ON CONFLICT DO NOTHING RETURNING id")
                    .Bind("$a", normalized).Bind("$k", key).Bind("$h", hash).Bind("$c", created)
                    .ScalarInt64();
                if (id is null)
                {
                    return Failures.AccountExists(normalized);
                }

                if (AddressRows.OwnerOf(context, normalized, skipAccounts: true) is { } owner)
                {
                    // An alias or a list has the address: the account would hide it (routing takes accounts first).
                    return Failures.AddressTaken(normalized, owner);
                }

                var insertFolder = context.Command("INSERT INTO folders (account_id, name, modseq) VALUES ($a, $n, 1)");
                foreach (var name in FolderNames.Defaults)
                {
                    insertFolder.Bind("$a", id.Value).Bind("$n", name).ExecuteNonQuery();
                }

                return StoreResult<Account>.Success(new Account(id.Value, normalized, UnixTime.FromMs(created)));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a password. An unknown address costs the same hash computation as a known one. A hash
    /// older or cheaper than the configured one is replaced after the check succeeds (a small write of
    /// its own).
    /// </summary>
    /// <returns>The account; or <see cref="StoreError.AuthenticationFailed"/> (unknown address or wrong
    /// password alike), or <see cref="StoreError.Busy"/> when too many hashes wait already.</returns>
    public async Task<StoreResult<Account>> AuthenticateAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        Account? account = null;
        string? hash = null;
        if (TryNormalize(address, out var normalized, out var key, out _))
        {
            using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
            using var reader = lease.Command($"SELECT {AccountColumns}, password_hash FROM accounts {ByAddress}")
                .Bind("$a", normalized).Bind("$k", key).ExecuteReader();
            if (reader.Read())
            {
                account = ReadAccount(reader);
                hash = reader.GetString(3);
            }
        }

        var cost = Cost;
        Task<bool> checking;
        var queued = account is null || hash is null
            ? _hashing.TryQueue(() => Burn(password, cost), ct, out checking)
            : _hashing.TryQueue(() => PasswordHasher.Verify(password, hash), ct, out checking);
        if (!queued)
        {
            return Failures.Busy();
        }

        if (!await checking.ConfigureAwait(false) || account is null)
        {
            return Failures.AuthenticationFailed();
        }

        if (PasswordHasher.NeedsRehash(hash!, cost) && _hashing.TryQueue(() => PasswordHasher.Hash(password, cost), ct, out var rehashing))
        {
            // An older format or a cost raised since: upgrade the hash now that the password is known.
            // When the hashing queue is full the upgrade waits for a later login.
            var upgraded = await rehashing.ConfigureAwait(false);
            await _core.Writer.EnqueueAsync(
                context => context.Command("UPDATE accounts SET password_hash = $n WHERE id = $a AND password_hash = $o")
                    .Bind("$n", upgraded).Bind("$a", account.Id).Bind("$o", hash).ExecuteNonQuery(),
                ct).ConfigureAwait(false);
        }

        return StoreResult<Account>.Success(account);
    }

    /// <summary>Finds an account by address (case-insensitive); null when there is none.</summary>
    public async Task<Account?> FindAsync(string address, CancellationToken ct = default)
    {
        if (!TryNormalize(address, out var normalized, out var key, out _))
        {
            return null;
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command($"SELECT {AccountColumns} FROM accounts {ByAddress}")
            .Bind("$a", normalized).Bind("$k", key).ExecuteReader();
        return reader.Read() ? ReadAccount(reader) : null;
    }

    /// <summary>Lists all accounts, ordered by address.</summary>
    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command($"SELECT {AccountColumns} FROM accounts ORDER BY address").ExecuteReader();
        var accounts = new List<Account>();
        while (reader.Read())
        {
            accounts.Add(ReadAccount(reader));
        }

        return accounts;
    }

    /// <summary>Replaces an account's password (hashed with the configured cost).</summary>
    /// <returns>The account; or <see cref="StoreError.AccountNotFound"/>, <see cref="StoreError.Busy"/>.</returns>
    public async Task<StoreResult<Account>> SetPasswordAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryNormalize(address, out var normalized, out var key, out _))
        {
            return Failures.AccountNotFound(address);
        }

        var cost = Cost;
        if (!_hashing.TryQueue(() => PasswordHasher.Hash(password, cost), ct, out var hashing))
        {
            return Failures.Busy();
        }

        var hash = await hashing.ConfigureAwait(false);
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                using var reader = context.Command(
                        $"UPDATE accounts SET password_hash = $h, modseq = modseq + 1 WHERE id = (SELECT id FROM accounts {ByAddress}) RETURNING {AccountColumns}")
                    .Bind("$h", hash).Bind("$a", normalized).Bind("$k", key).ExecuteReader();
                return reader.Read() ? StoreResult<Account>.Success(ReadAccount(reader)) : Failures.AccountNotFound(normalized);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Deletes an account with its folders and messages, and the contents nothing else refers to.</summary>
    /// <returns>The account deleted; or <see cref="StoreError.AccountNotFound"/>.</returns>
    public async Task<StoreResult<Account>> DeleteAsync(string address, CancellationToken ct = default)
    {
        if (!TryNormalize(address, out var normalized, out var key, out _))
        {
            return Failures.AccountNotFound(address);
        }

        return await _core.Writer.EnqueueAsync(
            context =>
            {
                Account account;
                using (var reader = context.Command($"SELECT {AccountColumns} FROM accounts {ByAddress}")
                    .Bind("$a", normalized).Bind("$k", key).ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return Failures.AccountNotFound(normalized);
                    }

                    account = ReadAccount(reader);
                }

                var contentIds = new List<long>();
                using (var reader = context.Command(
                        "SELECT DISTINCT m.content_id FROM messages m JOIN folders f ON f.id = m.folder_id WHERE f.account_id = $a")
                    .Bind("$a", account.Id).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        contentIds.Add(reader.GetInt64(0));
                    }
                }

                context.Command("DELETE FROM messages WHERE folder_id IN (SELECT id FROM folders WHERE account_id = $a)")
                    .Bind("$a", account.Id).ExecuteNonQuery();
                context.Command("DELETE FROM expunged WHERE folder_id IN (SELECT id FROM folders WHERE account_id = $a)")
                    .Bind("$a", account.Id).ExecuteNonQuery();
                context.Command("DELETE FROM folders WHERE account_id = $a").Bind("$a", account.Id).ExecuteNonQuery();
                context.Command("DELETE FROM folder_changes WHERE account_id = $a").Bind("$a", account.Id).ExecuteNonQuery();
                context.Command("DELETE FROM change_floors WHERE account_id = $a").Bind("$a", account.Id).ExecuteNonQuery();
                context.Command("DELETE FROM accounts WHERE id = $a").Bind("$a", account.Id).ExecuteNonQuery();
                context.Contents.DeleteUnreferenced(contentIds);
                return StoreResult<Account>.Success(account);
            },
            ct).ConfigureAwait(false);
    }

    private static bool Burn(string password, int cost)
    {
        PasswordHasher.Burn(password, cost);
        return false;
    }

    private static Account ReadAccount(SqliteDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), UnixTime.FromMs(reader.GetInt64(2)));

    /// <summary>
    /// An address (or a catch-all, <c>@domain</c>) as aliases and lists store it: the local part in NFC,
    /// lower case, the domain a lower-case A-label; false when <see cref="NameRules"/> refuse it.
    /// </summary>
    internal static bool TryNormalize(string? address, out string normalized)
    {
        if (address is { Length: > 1 and <= 320 } && address[0] == '@')
        {
            var ok = NameRules.TryNormalizeDomain(address[1..], out var domain);
            normalized = ok ? "@" + domain : string.Empty;
            return ok;
        }

        return TryNormalize(address, out normalized, out _, out _);
    }

    /// <summary>
    /// The address as stored (the local part in NFC, lower case; the domain a lower-case A-label) and
    /// its folded key (<see cref="NameRules.AddressKey"/>).
    /// </summary>
    internal static bool TryNormalize(string? address, out string normalized, out string key, out string problem)
    {
        normalized = string.Empty;
        key = string.Empty;
        problem = Failures.InvalidAddress().Detail;
        if (string.IsNullOrEmpty(address) || address.Length > 320)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        if (!NameRules.TryNormalize(local, "An address", allowSpace: false, out var nfc, out var refused))
        {
            problem = refused;
            return false;
        }

        var domain = string.Empty;
        if (at >= 0 && !NameRules.TryNormalizeDomain(address[(at + 1)..], out domain))
        {
            problem = $"'{address[(at + 1)..]}' is not a domain name.";
            return false;
        }

        normalized = at < 0 ? nfc.ToLowerInvariant() : nfc.ToLowerInvariant() + "@" + domain;
        key = NameRules.AddressKey(normalized) ?? NameRules.Fold(normalized);
        return true;
    }
}
