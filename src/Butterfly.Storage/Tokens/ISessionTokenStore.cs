namespace Butterfly.Storage;

/// <summary>
/// Web session tokens by their SHA-256 (protocol/websocket.md, "The session token"): create, find, revoke.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface ISessionTokenStore
{
    /// <summary>Live tokens kept per account; creating one more drops the oldest.</summary>
    const int MaxPerAccount = 64;

    /// <summary>Stores a token's hash for an account, dropping its expired tokens and the oldest beyond <see cref="MaxPerAccount"/>.</summary>
    Task CreateAsync(long accountId, byte[] hash, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct = default);

    /// <summary>The account a token (by its hash) logs in as, when it exists and has not expired; else null.</summary>
    Task<Account?> FindAsync(byte[] hash, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Removes the given tokens of an account (by hash); returns how many there were.</summary>
    Task<int> RevokeAsync(long accountId, IReadOnlyCollection<byte[]> hashes, CancellationToken ct = default);

    /// <summary>Removes every token of an account; returns how many there were.</summary>
    Task<int> RevokeAllAsync(long accountId, CancellationToken ct = default);
}
