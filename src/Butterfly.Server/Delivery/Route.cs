using Butterfly.Server.Mail;
using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Where each recipient of a message goes: local accounts (directly, or through an alias, a subaddress
/// or a catch-all), distribution lists, a filter's claimed addresses, or remote domains.
/// </summary>
internal sealed class Route
{
    /// <summary>Accounts here that get a copy, each once.</summary>
    public List<Account> Locals { get; } = [];

    /// <summary>Recipient addresses that are not an account's own (alias, subaddress, catch-all) → the accounts' addresses.</summary>
    public Dictionary<string, List<string>> Expanded { get; } = new(StringComparer.Ordinal);

    /// <summary>The subaddress tag by account, for accounts reached only through a subaddress.</summary>
    public Dictionary<long, string> Tags { get; } = [];

    /// <summary>The folder a copy goes into by account, when not the Inbox (a subaddress folder).</summary>
    public Dictionary<long, string> Folders { get; } = [];

    /// <summary>Distribution lists to fan out to, with the address the sender used.</summary>
    public List<(string Address, MailingList List)> Lists { get; } = [];

    /// <summary>Claimed addresses by claiming filter.</summary>
    public Dictionary<string, List<string>> Claimed { get; } = new(StringComparer.Ordinal);

    /// <summary>Addresses with a script: their mail waits for the script (issue 12, "Programmable addresses").</summary>
    public List<string> Scripts { get; } = [];

    /// <summary>Remote recipients by domain.</summary>
    public SortedDictionary<string, List<string>> Remote { get; } = new(StringComparer.Ordinal);

    /// <summary>Recipients refused one by one (peer and filter deliveries only).</summary>
    public List<RecipientResult> Failed { get; } = [];

    /// <summary>Every accepted recipient, in order.</summary>
    public List<string> Addresses { get; } = [];

    /// <summary>How many recipients are accepted.</summary>
    public int Count => Addresses.Count;

    /// <summary>How many recipients are remote.</summary>
    public int RemoteCount => Remote.Values.Sum(r => r.Count);

    /// <summary>The only accepted recipient, when there is exactly one.</summary>
    public string? Single => Addresses.Count == 1 ? Addresses[0] : null;

    /// <summary>The folder a copy for <paramref name="account"/> goes into.</summary>
    public string FolderOf(Account account) => Folders.GetValueOrDefault(account.Id, "Inbox");

    /// <summary>Adds the accounts <paramref name="address"/> delivers to (each account once across the route).</summary>
    public void AddLocal(string address, IReadOnlyList<Account> accounts, string? tag)
    {
        foreach (var account in accounts)
        {
            if (!Locals.Exists(a => a.Id == account.Id))
            {
                Locals.Add(account);
                if (tag is not null)
                {
                    Tags[account.Id] = tag;
                }
            }
            else if (tag is null)
            {
                // Named plainly too: the plain name wins over a subaddress folder.
                Tags.Remove(account.Id);
            }
        }

        if (accounts.Count != 1 || accounts[0].Address != address)
        {
            Expanded[address] = [.. accounts.Select(a => a.Address)];
        }
    }

    /// <summary>
    /// Takes <paramref name="account"/> out of the route; returns the recipient addresses left with no
    /// account (they are taken out of <see cref="Addresses"/> too).
    /// </summary>
    public List<string> RemoveLocal(Account account)
    {
        Locals.RemoveAll(a => a.Id == account.Id);
        Tags.Remove(account.Id);
        var orphaned = new List<string>();
        if (Addresses.Remove(account.Address))
        {
            orphaned.Add(account.Address);
        }

        foreach (var (address, accounts) in Expanded)
        {
            if (accounts.Remove(account.Address) && accounts.Count == 0)
            {
                orphaned.Add(address);
                Addresses.Remove(address);
            }
        }

        foreach (var address in orphaned)
        {
            Expanded.Remove(address);
        }

        return orphaned;
    }

    /// <summary>Whether <paramref name="accountAddress"/> is in the route only through an alias, subaddress or catch-all.</summary>
    public bool ReachedIndirectly(string accountAddress) =>
        !Addresses.Contains(accountAddress) && Expanded.Values.Any(a => a.Contains(accountAddress));
}
