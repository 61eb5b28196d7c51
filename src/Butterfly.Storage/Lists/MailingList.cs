namespace Butterfly.Storage;

/// <summary>A distribution list: an address whose mail goes to its members, local and remote.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Address">The list's address, lower-case.</param>
/// <param name="OwnerId">The owning account.</param>
/// <param name="Owner">The owner's address.</param>
/// <param name="Policy">Who may post.</param>
/// <param name="Members">The members' addresses, lower-case, ordered.</param>
public sealed record MailingList(long Id, string Address, long OwnerId, string Owner, ListPolicy Policy, IReadOnlyList<string> Members)
{
    /// <summary>Whether <paramref name="address"/> (any case) may post under the list's policy.</summary>
    /// <param name="address">The envelope sender.</param>
    public bool MayPost(string address) => Policy switch
    {
        ListPolicy.Anyone => address.Length > 0,
        ListPolicy.Owner => string.Equals(address, Owner, StringComparison.OrdinalIgnoreCase),
        _ => Members.Contains(address.ToLowerInvariant(), StringComparer.Ordinal),
    };
}
