using Butterfly.Storage.Internal;
using Butterfly.Storage.Postgres.Internal;

namespace Butterfly.Storage.Postgres;

/// <summary>
/// Distribution lists on PostgreSQL: address, owner, posting policy and members. Every change may be limited
/// to the lists one account owns (<c>ownerId</c>); a list owned by someone else is answered as not found.
/// </summary>
public sealed class PgListStore : IListStore
{
    private const string FindSql =
        "SELECT l.id, l.owner_id, a.address, l.policy FROM lists l JOIN accounts a ON a.id = l.owner_id WHERE l.address = @a";

    private readonly PgDatabase _db;

    internal PgListStore(PgDatabase db) => _db = db;

    /// <inheritdoc/>
    public async Task<StoreResult<MailingList>> CreateAsync(string address, string owner, ListPolicy policy, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized) || address.StartsWith('@'))
        {
            return Failures.InvalidAddress();
        }

        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        return await _db.WriteAsync<StoreResult<MailingList>>(
            async write =>
            {
                if (await write.OwnerOfAsync(normalized).ConfigureAwait(false) is { } taken)
                {
                    return Failures.AddressTaken(normalized, taken);
                }

                var ownerId = AccountStore.TryNormalize(owner, out var ownerAddress)
                    ? await write.Int64Async("SELECT id FROM accounts WHERE address = @a", ("a", ownerAddress)).ConfigureAwait(false)
                    : null;
                if (ownerId is null)
                {
                    return Failures.AccountNotFound(owner);
                }

                var id = (await write.Int64Async(
                    "INSERT INTO lists (address, owner_id, policy, created) VALUES (@a, @o, @p, @c) RETURNING id",
                    ("a", normalized), ("o", ownerId.Value), ("p", (int)policy), ("c", now)).ConfigureAwait(false))!.Value;
                return StoreResult<MailingList>.Success(new MailingList(id, normalized, ownerId.Value, ownerAddress, policy, []));
            },
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<MailingList?> FindAsync(string address, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return null;
        }

        return await _db.ReadAsync(read => ReadAsync(read, normalized), ct, snapshot: true).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> OwnedByAsync(long accountId, CancellationToken ct = default)
        => await _db.ReadAsync(
            read => read.ListAsync("SELECT address FROM lists WHERE owner_id = @o ORDER BY address", r => r.GetString(0), ("o", accountId)),
            ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task<StoreResult<MailingList>> DeleteAsync(string address, long? ownerId = null, CancellationToken ct = default) =>
        ChangeAsync(address, ownerId, async (write, list) =>
        {
            await write.ExecuteAsync("DELETE FROM list_members WHERE list_id = @l", ("l", list.Id)).ConfigureAwait(false);
            await write.ExecuteAsync("DELETE FROM lists WHERE id = @l", ("l", list.Id)).ConfigureAwait(false);
            return StoreResult<MailingList>.Success(list);
        }, ct);

    /// <inheritdoc/>
    public Task<StoreResult<MailingList>> AddMemberAsync(string address, string member, long? ownerId = null, CancellationToken ct = default)
    {
        if (!AccountStore.TryNormalize(member, out var normalized) || member.StartsWith('@') || !member.Contains('@', StringComparison.Ordinal))
        {
            return Task.FromResult<StoreResult<MailingList>>(Failures.InvalidAddress());
        }

        return ChangeAsync(address, ownerId, async (write, list) =>
        {
            if (string.Equals(normalized, list.Address, StringComparison.Ordinal))
            {
                return Failures.InvalidAddress();
            }

            var added = await write.ExecuteAsync(
                "INSERT INTO list_members (list_id, address) VALUES (@l, @m) ON CONFLICT DO NOTHING", ("l", list.Id), ("m", normalized)).ConfigureAwait(false);
            return added == 0
                ? Failures.ListMemberExists(list.Address, normalized)
                : StoreResult<MailingList>.Success((await ReadAsync(write, list.Address).ConfigureAwait(false))!);
        }, ct);
    }

    /// <inheritdoc/>
    public Task<StoreResult<MailingList>> RemoveMemberAsync(string address, string member, long? ownerId = null, CancellationToken ct = default)
    {
        var normalized = member.ToLowerInvariant();
        return ChangeAsync(address, ownerId, async (write, list) =>
        {
            var removed = await write.ExecuteAsync("DELETE FROM list_members WHERE list_id = @l AND address = @m", ("l", list.Id), ("m", normalized))
                .ConfigureAwait(false);
            return removed == 0
                ? Failures.ListMemberNotFound(list.Address, normalized)
                : StoreResult<MailingList>.Success((await ReadAsync(write, list.Address).ConfigureAwait(false))!);
        }, ct);
    }

    /// <inheritdoc/>
    public Task<StoreResult<MailingList>> SetPolicyAsync(string address, ListPolicy policy, long? ownerId = null, CancellationToken ct = default) =>
        ChangeAsync(address, ownerId, async (write, list) =>
        {
            await write.ExecuteAsync("UPDATE lists SET policy = @p WHERE id = @l", ("p", (int)policy), ("l", list.Id)).ConfigureAwait(false);
            return StoreResult<MailingList>.Success(list with { Policy = policy });
        }, ct);

    private async Task<StoreResult<MailingList>> ChangeAsync(
        string address, long? ownerId, Func<PgWrite, MailingList, Task<StoreResult<MailingList>>> change, CancellationToken ct)
    {
        if (!AccountStore.TryNormalize(address, out var normalized))
        {
            return Failures.ListNotFound(address);
        }

        return await _db.WriteAsync(
            async write => await ReadAsync(write, normalized, forUpdate: true).ConfigureAwait(false) is { } list && (ownerId is null || list.OwnerId == ownerId)
                ? await change(write, list).ConfigureAwait(false)
                : Failures.ListNotFound(normalized),
            ct).ConfigureAwait(false);
    }

    private static async Task<MailingList?> ReadAsync(PgWrite read, string address, bool forUpdate = false)
    {
        var row = await read.FirstAsync(
            FindSql + (forUpdate ? " FOR UPDATE OF l" : string.Empty),
            r => (long[]?)[r.GetInt64(0), r.GetInt64(1), r.GetInt32(3)],
            ("a", address)).ConfigureAwait(false);
        if (row is not [var id, var ownerId, var policy])
        {
            return null;
        }

        var owner = (await read.TextAsync("SELECT address FROM accounts WHERE id = @o", ("o", ownerId)).ConfigureAwait(false))!;
        var members = await read.ListAsync("SELECT address FROM list_members WHERE list_id = @l ORDER BY address", r => r.GetString(0), ("l", id))
            .ConfigureAwait(false);
        return new MailingList(id, address, ownerId, owner, (ListPolicy)policy, members);
    }
}
