using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Accounts.</summary>
public sealed partial class MailStore
{
    private const string AccountColumns = "id, address, created";

    /// <summary>
    /// Creates an account with the default folders. The password is hashed before the insert is queued,
    /// so the writer never waits for PBKDF2.
    /// </summary>
    public async Task<StoreResult<Account>> CreateAccountAsync(string address, string password, CancellationToken ct = default)
    {
        var normalized = NormalizeAddress(address);
        ArgumentNullException.ThrowIfNull(password);
        var hash = await HashPasswordAsync(password, ct).ConfigureAwait(false);
        var created = DateTimeOffset.UtcNow;
        return await _writer.EnqueueAsync(
            context =>
            {
                var id = context.Command(
                        "INSERT INTO accounts (address, password_hash, created, modseq) VALUES ($a, $h, $c, 1) "
                        + "ON CONFLICT (address) DO NOTHING RETURNING id")
                    .Bind("$a", normalized).Bind("$h", hash).Bind("$c", ToUnixMs(created))
                    .ScalarInt64();
                if (id is null)
                {
                    return StoreResult<Account>.Fail(StoreError.AccountExists);
                }

                var insertFolder = context.Command("INSERT INTO folders (account_id, name, modseq) VALUES ($a, $n, 1)");
                foreach (var name in FolderNames.Defaults)
                {
                    insertFolder.Bind("$a", id.Value).Bind("$n", name).ExecuteNonQuery();
                }

                return StoreResult<Account>.Success(new Account(id.Value, normalized, FromUnixMs(ToUnixMs(created))));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a password. Null for an unknown address or a wrong password; an unknown address costs the
    /// same hash computation as a known one.
    /// </summary>
    public async Task<Account?> AuthenticateAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryNormalizeAddress(address, out var normalized))
        {
            await BurnHashAsync(password, ct).ConfigureAwait(false);
            return null;
        }

        Account? account = null;
        string? hash = null;
        using (var lease = await _readers.RentAsync(ct).ConfigureAwait(false))
        {
            using var reader = lease.Command($"SELECT {AccountColumns}, password_hash FROM accounts WHERE address = $a")
                .Bind("$a", normalized).ExecuteReader();
            if (reader.Read())
            {
                account = ReadAccount(reader);
                hash = reader.GetString(3);
            }
        }

        if (account is null || hash is null)
        {
            await BurnHashAsync(password, ct).ConfigureAwait(false);
            return null;
        }

        bool verified;
        await _hashSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            verified = PasswordHasher.Verify(password, hash);
        }
        finally
        {
            _hashSlots.Release();
        }

        if (!verified)
        {
            return null;
        }

        if (PasswordHasher.NeedsRehash(hash, _options.PasswordIterations))
        {
            // The configured cost was raised since this hash was made: upgrade it now that we know the password.
            var upgraded = await HashPasswordAsync(password, ct).ConfigureAwait(false);
            await _writer.EnqueueAsync(
                context => context.Command("UPDATE accounts SET password_hash = $n WHERE id = $a AND password_hash = $o")
                    .Bind("$n", upgraded).Bind("$a", account.Id).Bind("$o", hash).ExecuteNonQuery(),
                ct).ConfigureAwait(false);
        }

        return account;
    }

    /// <summary>Finds an account by address (case-insensitive).</summary>
    public async Task<Account?> FindAccountAsync(string address, CancellationToken ct = default)
    {
        if (!TryNormalizeAddress(address, out var normalized))
        {
            return null;
        }

        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command($"SELECT {AccountColumns} FROM accounts WHERE address = $a")
            .Bind("$a", normalized).ExecuteReader();
        return reader.Read() ? ReadAccount(reader) : null;
    }

    /// <summary>Lists all accounts, ordered by address.</summary>
    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken ct = default)
    {
        using var lease = await _readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command($"SELECT {AccountColumns} FROM accounts ORDER BY address").ExecuteReader();
        var accounts = new List<Account>();
        while (reader.Read())
        {
            accounts.Add(ReadAccount(reader));
        }

        return accounts;
    }

    /// <summary>Replaces an account's password (hashed with the configured cost).</summary>
    public async Task<StoreResult<Account>> SetPasswordAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryNormalizeAddress(address, out var normalized))
        {
            return StoreResult<Account>.Fail(StoreError.AccountNotFound);
        }

        var hash = await HashPasswordAsync(password, ct).ConfigureAwait(false);
        return await _writer.EnqueueAsync(
            context =>
            {
                using var reader = context.Command(
                        $"UPDATE accounts SET password_hash = $h, modseq = modseq + 1 WHERE address = $a RETURNING {AccountColumns}")
                    .Bind("$h", hash).Bind("$a", normalized).ExecuteReader();
                return reader.Read()
                    ? StoreResult<Account>.Success(ReadAccount(reader))
                    : StoreResult<Account>.Fail(StoreError.AccountNotFound);
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Deletes an account with its folders and messages, and the contents no one else references.</summary>
    public async Task<StoreResult<Account>> DeleteAccountAsync(string address, CancellationToken ct = default)
    {
        if (!TryNormalizeAddress(address, out var normalized))
        {
            return StoreResult<Account>.Fail(StoreError.AccountNotFound);
        }

        return await _writer.EnqueueAsync(
            context =>
            {
                Account account;
                using (var reader = context.Command($"SELECT {AccountColumns} FROM accounts WHERE address = $a")
                    .Bind("$a", normalized).ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return StoreResult<Account>.Fail(StoreError.AccountNotFound);
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
                context.Command("DELETE FROM accounts WHERE id = $a").Bind("$a", account.Id).ExecuteNonQuery();
                context.DeleteUnreferencedContents(contentIds);
                return StoreResult<Account>.Success(account);
            },
            ct).ConfigureAwait(false);
    }

    // PBKDF2 at 600,000 iterations costs a good fraction of a second of CPU. At most one hash per core
    // runs at a time, so a burst of logins cannot tie up every thread-pool thread.
    private async Task<string> HashPasswordAsync(string password, CancellationToken ct)
    {
        await _hashSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return PasswordHasher.Hash(password, _options.PasswordIterations);
        }
        finally
        {
            _hashSlots.Release();
        }
    }

    private async Task BurnHashAsync(string password, CancellationToken ct)
    {
        await _hashSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            PasswordHasher.Burn(password, _options.PasswordIterations);
        }
        finally
        {
            _hashSlots.Release();
        }
    }

    private static Account ReadAccount(Microsoft.Data.Sqlite.SqliteDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), FromUnixMs(reader.GetInt64(2)));

    private static string NormalizeAddress(string address)
    {
        if (!TryNormalizeAddress(address, out var normalized))
        {
            throw new ArgumentException("An address must be 1 to 320 characters with no spaces or control characters.", nameof(address));
        }

        return normalized;
    }

    private static bool TryNormalizeAddress(string? address, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(address) || address.Length > 320)
        {
            return false;
        }

        foreach (var c in address)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        normalized = address.ToLowerInvariant();
        return true;
    }
}
