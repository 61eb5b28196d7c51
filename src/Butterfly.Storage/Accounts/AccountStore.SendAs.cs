using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>The addresses an account may send as.</summary>
public sealed partial class AccountStore
{
    private const string SendAsSql = """
        SELECT address FROM accounts WHERE id = $a
        UNION
        SELECT al.address FROM aliases al
        WHERE al.account_id = $a AND substr(al.address, 1, 1) != '@'
          AND NOT EXISTS (SELECT 1 FROM aliases other WHERE other.address = al.address AND other.account_id != $a)
        UNION
        SELECT address FROM lists WHERE owner_id = $a
        ORDER BY 1
        """;

    /// <summary>
    /// The addresses account <paramref name="accountId"/> may send as: its own, the aliases that deliver
    /// to it alone (not catch-alls, not aliases shared with other accounts), and the lists it owns.
    /// Empty when the account does not exist.
    /// </summary>
    public async Task<IReadOnlyList<string>> SendAsAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command(SendAsSql).Bind("$a", accountId).Strings();
    }
}
