using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// Web session tokens (protocol/websocket.md, "The session token"): the caller makes the random token and hands
/// over only its SHA-256, which is all that is stored, with the account and an expiry. A stolen database copy
/// therefore holds nothing that logs in. Tokens survive a restart; a password change or the account's deletion
/// removes them (<see cref="SchemaSessionTokens"/>).
/// </summary>
public sealed class SessionTokenStore : ISessionTokenStore
{
    /// <summary>Live tokens kept per account; creating one more drops the oldest.</summary>
    public const int MaxPerAccount = ISessionTokenStore.MaxPerAccount;

    private readonly StoreCore _core;

    internal SessionTokenStore(StoreCore core) => _core = core;

    /// <summary>Stores a token's hash for an account, dropping its expired tokens and the oldest beyond <see cref="MaxPerAccount"/>.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="hash">SHA-256 of the token.</param>
    /// <param name="now">The current time.</param>
    /// <param name="expires">When the token stops working.</param>
    /// <param name="ct">Cancels before the write starts.</param>
    public Task CreateAsync(long accountId, byte[] hash, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(
            context =>
            {
                context.Command("DELETE FROM session_tokens WHERE account_id = $a AND expires <= $n")
                    .Bind("$a", accountId).Bind("$n", UnixTime.ToMs(now)).ExecuteNonQuery();
                context.Command("INSERT INTO session_tokens (hash, account_id, created, expires) VALUES ($h, $a, $c, $e)")
                    .Bind("$h", hash).Bind("$a", accountId).Bind("$c", UnixTime.ToMs(now)).Bind("$e", UnixTime.ToMs(expires)).ExecuteNonQuery();
                context.Command(
                        "DELETE FROM session_tokens WHERE account_id = $a AND hash NOT IN "
                        + "(SELECT hash FROM session_tokens WHERE account_id = $a ORDER BY created DESC, hash LIMIT $m)")
                    .Bind("$a", accountId).Bind("$m", MaxPerAccount).ExecuteNonQuery();
                return 0;
            },
            ct);

    /// <summary>The account a token (by its hash) logs in as, when it exists and has not expired; else null.</summary>
    /// <param name="hash">SHA-256 of the token.</param>
    /// <param name="now">The current time.</param>
    /// <param name="ct">Cancels the read.</param>
    public async Task<Account?> FindAsync(byte[] hash, DateTimeOffset now, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        using var reader = lease.Command(
                "SELECT a.id, a.address, a.created FROM session_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = $h AND t.expires > $n")
            .Bind("$h", hash).Bind("$n", UnixTime.ToMs(now)).ExecuteReader();
        return reader.Read() ? new Account(reader.GetInt64(0), reader.GetString(1), UnixTime.FromMs(reader.GetInt64(2))) : null;
    }

    /// <summary>Removes the given tokens of an account (by hash); returns how many there were.</summary>
    /// <param name="accountId">The account; tokens of other accounts are left alone.</param>
    /// <param name="hashes">SHA-256 of each token.</param>
    /// <param name="ct">Cancels before the write starts.</param>
    public Task<int> RevokeAsync(long accountId, IReadOnlyCollection<byte[]> hashes, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(
            context =>
            {
                var removed = 0;
                foreach (var hash in hashes)
                {
                    removed += context.Command("DELETE FROM session_tokens WHERE account_id = $a AND hash = $h")
                        .Bind("$a", accountId).Bind("$h", hash).ExecuteNonQuery();
                }

                return removed;
            },
            ct);

    /// <summary>Removes every token of an account; returns how many there were.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="ct">Cancels before the write starts.</param>
    public Task<int> RevokeAllAsync(long accountId, CancellationToken ct = default)
        => _core.Writer.EnqueueAsync(
            context => context.Command("DELETE FROM session_tokens WHERE account_id = $a").Bind("$a", accountId).ExecuteNonQuery(),
            ct);
}
