using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// Distribution lists: address, owner, posting policy and members. Every change may be limited to the
/// lists one account owns (<c>ownerId</c>), for owners managing their lists over the protocol; the
/// operator passes null. A list owned by someone else is answered as not found.
/// </summary>
public sealed class ListStore : IListStore
{
    private const string FindSql =
        "SELECT l.id, l.address, l.owner_id, a.address, l.policy FROM lists l JOIN accounts a ON a.id = l.owner_id WHERE l.address = $a";

    private readonly StoreCore _core;

    internal ListStore(StoreCore core) => _core = core;

    /// <summary>Creates a list with no members.</summary>
    /// <returns>The list; or <see cref="StoreError.AccountInvalidAddress"/>, <see cref="StoreError.AccountNotFound"/> (the owner),
    /// <see cref="StoreError.AddressTaken"/>.</returns>
    public async Task<StoreResult<MailingList>> CreateAsync(string address, string owner, ListPolicy policy, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized) || address.StartsWith('@'))
        {
            return Failures.InvalidAddress();
        }

        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _core.Writer.EnqueueAsync(
            context =>
            {
                if (AddressRows.OwnerOf(context, normalized) is { } taken)
                {
                    return Failures.AddressTaken(normalized, taken);
                }

                var ownerId = AccountStore.TryNormalize(owner, out var ownerAddress)
                    ? context.Command("SELECT id FROM accounts WHERE address = $a").Bind("$a", ownerAddress).ScalarInt64()
                    : null;
                if (ownerId is null)
                {
                    return Failures.AccountNotFound(owner);
                }

                var id = context.Command("INSERT INTO lists (address, owner_id, policy, created) VALUES ($a, $o, $p, $c) RETURNING id")
                    .Bind("$a", normalized).Bind("$o", ownerId.Value).Bind("$p", (long)policy).Bind("$c", now).ScalarInt64()!.Value;
                return StoreResult<MailingList>.Success(new MailingList(id, normalized, ownerId.Value, ownerAddress, policy, []));
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Finds a list by address (any case); null when there is none.</summary>
    public async Task<MailingList?> FindAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return null;
        }

        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        lease.BeginSnapshot();
        try
        {
            return Read(lease.Session, normalized);
        }
        finally
        {
            lease.EndSnapshot();
        }
    }

    /// <summary>The addresses of the lists an account owns, ordered.</summary>
    public async Task<IReadOnlyList<string>> OwnedByAsync(long accountId, CancellationToken ct = default)
    {
        using var lease = await _core.Readers.RentAsync(ct).ConfigureAwait(false);
        return lease.Command("SELECT address FROM lists WHERE owner_id = $o ORDER BY address").Bind("$o", accountId).Strings();
    }

    /// <summary>Deletes a list with its members.</summary>
    /// <returns>The list as it was; or <see cref="StoreError.ListNotFound"/>.</returns>
    public Task<StoreResult<MailingList>> DeleteAsync(string address, long? ownerId = null, CancellationToken ct = default) =>
        ChangeAsync(address, ownerId, (context, list) =>
        {
            context.Command("DELETE FROM list_members WHERE list_id = $l").Bind("$l", list.Id).ExecuteNonQuery();
            context.Command("DELETE FROM lists WHERE id = $l").Bind("$l", list.Id).ExecuteNonQuery();
            return StoreResult<MailingList>.Success(list);
        }, ct);

    /// <summary>Adds a member (a local or remote address).</summary>
    /// <returns>The list with its members; or <see cref="StoreError.ListNotFound"/>, <see cref="StoreError.ListMemberExists"/>,
    /// <see cref="StoreError.AccountInvalidAddress"/>.</returns>
    public Task<StoreResult<MailingList>> AddMemberAsync(string address, string member, long? ownerId = null, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(member, out var normalized) || member.StartsWith('@') || !member.Contains('@', StringComparison.Ordinal))
        {
            return Task.FromResult<StoreResult<MailingList>>(Failures.InvalidAddress());
        }

        return ChangeAsync(address, ownerId, (context, list) =>
        {
            if (string.Equals(normalized, list.Address, StringComparison.Ordinal))
            {
                return Failures.InvalidAddress();
            }

            var added = context.Command("INSERT OR IGNORE INTO list_members (list_id, address) VALUES ($l, $m)")
                .Bind("$l", list.Id).Bind("$m", normalized).ExecuteNonQuery();
            return added == 0 ? Failures.ListMemberExists(list.Address, normalized) : StoreResult<MailingList>.Success(Read(context.Session, list.Address)!);
        }, ct);
    }

    /// <summary>Removes a member.</summary>
    /// <returns>The list with its members; or <see cref="StoreError.ListNotFound"/>, <see cref="StoreError.ListMemberNotFound"/>.</returns>
    public Task<StoreResult<MailingList>> RemoveMemberAsync(string address, string member, long? ownerId = null, CancellationToken ct = default)
    {
        var normalized = member.ToLowerInvariant();
        return ChangeAsync(address, ownerId, (context, list) =>
        {
            var removed = context.Command("DELETE FROM list_members WHERE list_id = $l AND address = $m")
                .Bind("$l", list.Id).Bind("$m", normalized).ExecuteNonQuery();
            return removed == 0 ? Failures.ListMemberNotFound(list.Address, normalized) : StoreResult<MailingList>.Success(Read(context.Session, list.Address)!);
        }, ct);
    }

    /// <summary>Changes who may post.</summary>
    /// <returns>The list; or <see cref="StoreError.ListNotFound"/>.</returns>
    public Task<StoreResult<MailingList>> SetPolicyAsync(string address, ListPolicy policy, long? ownerId = null, CancellationToken ct = default) =>
        ChangeAsync(address, ownerId, (context, list) =>
        {
            context.Command("UPDATE lists SET policy = $p WHERE id = $l").Bind("$p", (long)policy).Bind("$l", list.Id).ExecuteNonQuery();
            return StoreResult<MailingList>.Success(list with { Policy = policy });
        }, ct);

    private async Task<StoreResult<MailingList>> ChangeAsync(
        string address, long? ownerId, Func<WriterContext, MailingList, StoreResult<MailingList>> change, CancellationToken ct)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.ListNotFound(address);
        }

        return await _core.Writer.EnqueueAsync(
            context => Read(context.Session, normalized) is { } list && (ownerId is null || list.OwnerId == ownerId)
                ? change(context, list)
                : Failures.ListNotFound(normalized),
            ct).ConfigureAwait(false);
    }

    private static MailingList? Read(SqliteSession session, string address)
    {
        long id;
        long ownerId;
        string owner;
        ListPolicy policy;
        using (var reader = session.Command(FindSql).Bind("$a", address).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (id, ownerId, owner, policy) = (reader.GetInt64(0), reader.GetInt64(2), reader.GetString(3), (ListPolicy)reader.GetInt64(4));
        }

        var members = session.Command("SELECT address FROM list_members WHERE list_id = $l ORDER BY address").Bind("$l", id).Strings();
        return new MailingList(id, address, ownerId, owner, policy, members);
    }
}
