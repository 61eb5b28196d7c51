using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// Web session tokens on PostgreSQL: only each token's SHA-256 is stored, with the account and an expiry
/// (<see cref="ISessionTokenStore"/>). A token made through one daemon logs in through any other.
/// </summary>
public sealed class PgSessionTokenStore : ISessionTokenStore
{
    private readonly PgDatabase _db;

    internal PgSessionTokenStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public Task CreateAsync(long accountId, byte[] hash, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct = default)
        => _db.WriteAsync(
            async write =>
            {
                // The account's row first, as every write to an account: two logins of one account keep the
                // newest 64 between them instead of each trimming from a snapshot without the other's token.
                if (await write.Int64Async("SELECT id FROM accounts WHERE id = @a FOR UPDATE", ("a", accountId)).ConfigureAwait(false) is null)
                {
                    return 0;
                }

                await write.ExecuteAsync("DELETE FROM session_tokens WHERE account_id = @a AND expires <= @n", ("a", accountId), ("n", UnixTime.ToMs(now))).ConfigureAwait(false);
                await write.ExecuteAsync(
                        "INSERT INTO session_tokens (hash, account_id, created, expires) VALUES (@h, @a, @c, @e)",
                        ("h", hash),
                        ("a", accountId),
                        ("c", UnixTime.ToMs(now)),
                        ("e", UnixTime.ToMs(expires)))
                    .ConfigureAwait(false);
                return await write.ExecuteAsync(
                        "DELETE FROM session_tokens WHERE account_id = @a AND hash NOT IN "
                        + "(SELECT hash FROM session_tokens WHERE account_id = @a ORDER BY created DESC, hash LIMIT @m)",
                        ("a", accountId),
                        ("m", ISessionTokenStore.MaxPerAccount))
                    .ConfigureAwait(false);
            },
            ct);

    /// <inheritdoc/>
    public Task<Account?> FindAsync(byte[] hash, DateTimeOffset now, CancellationToken ct = default)
        => _db.ReadAsync(
            read => read.FirstAsync(
                "SELECT a.id, a.address, a.created FROM session_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = @h AND t.expires > @n",
                r => new Account(r.GetInt64(0), r.GetString(1), UnixTime.FromMs(r.GetInt64(2))),
                ("h", hash),
                ("n", UnixTime.ToMs(now))),
            ct);

    /// <inheritdoc/>
    public Task<int> RevokeAsync(long accountId, IReadOnlyCollection<byte[]> hashes, CancellationToken ct = default)
        => _db.WriteAsync(
            write => write.ExecuteAsync(
                "DELETE FROM session_tokens WHERE account_id = @a AND hash = ANY(@h)",
                ("a", accountId),
                ("h", hashes.ToArray())),
            ct);

    /// <inheritdoc/>
    public Task<int> RevokeAllAsync(long accountId, CancellationToken ct = default)
        => _db.WriteAsync(write => write.ExecuteAsync("DELETE FROM session_tokens WHERE account_id = @a", ("a", accountId)), ct);
}
