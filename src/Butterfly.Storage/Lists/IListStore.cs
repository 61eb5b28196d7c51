namespace Butterfly.Storage;

/// <summary>
/// Distribution lists: owner, posting policy, members.
/// One implementation per database; the conformance suite holds them to the same behaviour (src/Butterfly.Storage/README.md, "Contracts").
/// </summary>
public interface IListStore
{
    /// <summary>Creates a list with no members.</summary>
    /// <returns>The list; or <see cref="StoreError.AccountInvalidAddress"/>, <see cref="StoreError.AccountNotFound"/> (the owner),
    /// <see cref="StoreError.AddressTaken"/>.</returns>
    Task<StoreResult<MailingList>> CreateAsync(string address, string owner, ListPolicy policy, CancellationToken ct = default);

    /// <summary>Finds a list by address (any case); null when there is none.</summary>
    Task<MailingList?> FindAsync(string address, CancellationToken ct = default);

    /// <summary>The addresses of the lists an account owns, ordered.</summary>
    Task<IReadOnlyList<string>> OwnedByAsync(long accountId, CancellationToken ct = default);

    /// <summary>Deletes a list with its members.</summary>
    /// <returns>The list as it was; or <see cref="StoreError.ListNotFound"/>.</returns>
    Task<StoreResult<MailingList>> DeleteAsync(string address, long? ownerId = null, CancellationToken ct = default);

    /// <summary>Adds a member (a local or remote address).</summary>
    /// <returns>The list with its members; or <see cref="StoreError.ListNotFound"/>, <see cref="StoreError.ListMemberExists"/>,
    /// <see cref="StoreError.AccountInvalidAddress"/>.</returns>
    Task<StoreResult<MailingList>> AddMemberAsync(string address, string member, long? ownerId = null, CancellationToken ct = default);

    /// <summary>Removes a member.</summary>
    /// <returns>The list with its members; or <see cref="StoreError.ListNotFound"/>, <see cref="StoreError.ListMemberNotFound"/>.</returns>
    Task<StoreResult<MailingList>> RemoveMemberAsync(string address, string member, long? ownerId = null, CancellationToken ct = default);

    /// <summary>Changes who may post.</summary>
    /// <returns>The list; or <see cref="StoreError.ListNotFound"/>.</returns>
    Task<StoreResult<MailingList>> SetPolicyAsync(string address, ListPolicy policy, long? ownerId = null, CancellationToken ct = default);
}
