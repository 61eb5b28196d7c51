namespace Butterfly.Storage;

/// <summary>
/// Accounts and their passwords: create, log in, find, list, change the password, delete, and the addresses an account may send as.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IAccountStore
{
    /// <summary>Creates an account with the default folders.</summary>
    /// <returns>The account; or <see cref="StoreError.AccountExists"/>, <see cref="StoreError.AccountInvalidAddress"/>, <see cref="StoreError.Busy"/>.</returns>
    Task<StoreResult<Account>> CreateAsync(string address, string password, CancellationToken ct = default);

    /// <summary>
    /// Checks a password. An unknown address costs the same hash computation as a known one. A hash
    /// older or cheaper than the configured one is replaced after the check succeeds (a small write of
    /// its own).
    /// </summary>
    /// <returns>The account; or <see cref="StoreError.AuthenticationFailed"/> (unknown address or wrong
    /// password alike), or <see cref="StoreError.Busy"/> when too many hashes wait already.</returns>
    Task<StoreResult<Account>> AuthenticateAsync(string address, string password, CancellationToken ct = default);

    /// <summary>Finds an account by address (case-insensitive); null when there is none.</summary>
    Task<Account?> FindAsync(string address, CancellationToken ct = default);

    /// <summary>Lists all accounts, ordered by address.</summary>
    Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct = default);

    /// <summary>Replaces an account's password (hashed with the configured cost).</summary>
    /// <returns>The account; or <see cref="StoreError.AccountNotFound"/>, <see cref="StoreError.Busy"/>.</returns>
    Task<StoreResult<Account>> SetPasswordAsync(string address, string password, CancellationToken ct = default);

    /// <summary>Deletes an account with its folders and messages, and the contents nothing else refers to.</summary>
    /// <returns>The account deleted; or <see cref="StoreError.AccountNotFound"/>.</returns>
    Task<StoreResult<Account>> DeleteAsync(string address, CancellationToken ct = default);

    /// <summary>
    /// The addresses account <paramref name="accountId"/> may send as: its own, the aliases that deliver
    /// to it alone (not catch-alls, not aliases shared with other accounts), and the lists it owns.
    /// Empty when the account does not exist.
    /// </summary>
    Task<IReadOnlyList<string>> SendAsAsync(long accountId, CancellationToken ct = default);
}
