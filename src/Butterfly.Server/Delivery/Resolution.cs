using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>
/// What a local address resolves to (protocol/client.md, "Addresses"): accounts (an account, an alias,
/// a catch-all), a distribution list, or a filter's claim. <see cref="Tag"/> is the subaddress when the
/// address was found without it.
/// </summary>
/// <param name="Accounts">The accounts it delivers to; empty for a list or a claim.</param>
/// <param name="List">The distribution list, or null.</param>
/// <param name="Claimant">The filter that claims it, or null.</param>
/// <param name="Tag">The subaddress (<c>tag</c> of <c>user+tag@domain</c>), or null.</param>
internal sealed record Resolution(IReadOnlyList<Account> Accounts, MailingList? List, string? Claimant, string? Tag)
{
    public static Resolution To(IReadOnlyList<Account> accounts) => new(accounts, null, null, null);

    /// <summary>The address has a script: its mail goes to the script, not to a mailbox.</summary>
    public bool Script { get; init; }
}
