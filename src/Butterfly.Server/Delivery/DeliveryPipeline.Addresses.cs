using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Resolving local addresses: accounts, aliases, lists, claimed addresses, subaddresses and catch-alls,
/// in the documented order (protocol/client.md, "Addresses"), and quotas.
/// </summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Resolves a local address. The full address first: an account, an alias, a list, a filter's claim.
    /// Then, for <c>user+tag@domain</c>, the address without its tag through the same steps. The domain's
    /// catch-all comes last, so it never takes an address something else owns. Null when nothing does.
    /// </summary>
    private async Task<Resolution?> ResolveLocalAsync(string address, string domain, CancellationToken ct)
    {
        if (await ResolveOwnedAsync(address, ct) is { } owned)
        {
            return owned;
        }

        var separator = _options.Addresses.SubaddressSeparator;
        var at = address.LastIndexOf('@');
        var cut = separator.Length == 1 ? address.IndexOf(separator[0], StringComparison.Ordinal) : -1;
        if (cut > 0 && cut < at)
        {
            var withoutTag = string.Concat(address.AsSpan(0, cut), address.AsSpan(at));
            if (await ResolveOwnedAsync(withoutTag, ct) is { } tagged)
            {
                return tagged with { Tag = address[(cut + 1)..at] };
            }
        }

        var catchAll = await _store.Aliases.ResolveAsync("@" + domain, ct);
        return catchAll.Count > 0 ? Resolution.To(catchAll) : null;
    }

    private async Task<Resolution?> ResolveOwnedAsync(string address, CancellationToken ct)
    {
        // A scripted address first (answered from memory): it may be an account's own address, whose
        // owner has it answered by a script (an auto-responder that files the mail itself).
        if (await _store.Scripts.HasScriptAsync(address, ct))
        {
            return new Resolution([], null, null, null) { Script = true };
        }

        if (await _store.Accounts.FindAsync(address, ct) is { } account)
        {
            return Resolution.To([account]);
        }

        var aliased = await _store.Aliases.ResolveAsync(address, ct);
        if (aliased.Count > 0)
        {
            return Resolution.To(aliased);
        }

        if (await _store.Lists.FindAsync(address, ct) is { } list)
        {
            return new Resolution([], list, null, null);
        }

        return _filters.ClaimantOf(address) is { } claimant ? new Resolution([], null, claimant, null) : null;
    }

    /// <summary>
    /// Routes one resolved local recipient: accounts into <see cref="Route.Locals"/>, a list (when the
    /// sender may post) into <see cref="Route.Lists"/>, a claim into <see cref="Route.Claimed"/>.
    /// </summary>
    /// <returns>The refusal when a list does not take the sender's post; else None.</returns>
    private (ErrorCode Error, string? Problem) AddResolved(Route route, string address, Resolution resolution, string sender)
    {
        if (resolution.Claimant is { } claimant)
        {
            Add(route.Claimed, claimant, address);
        }
        else if (resolution.Script)
        {
            route.Scripts.Add(address);
        }
        else if (resolution.List is { } list)
        {
            if (!list.MayPost(sender))
            {
                var who = sender.Length == 0 ? "a notice with no sender" : sender;
                var rule = list.Policy switch
                {
                    ListPolicy.Owner => "only its owner may post",
                    ListPolicy.Anyone => "mail with no sender is not distributed",
                    _ => "only its members may post",
                };
                return (ErrorCode.ListPostDenied, $"{address}: the list does not take posts from {who}; {rule}.");
            }

            route.Lists.Add((address, list));
        }
        else
        {
            route.AddLocal(address, resolution.Accounts, resolution.Tag);
        }

        route.Addresses.Add(address);
        return (ErrorCode.None, null);
    }

    /// <summary>
    /// Takes out of the route the accounts a message of <paramref name="size"/> bytes would take over
    /// their quota. A recipient left with no account is refused with <c>quota.exceeded</c>: the whole
    /// message from a local client, that recipient alone otherwise. Then picks the subaddress folders.
    /// </summary>
    private async Task<(ErrorCode Error, string? Problem)> CheckQuotasAsync(Route route, long size, bool whole, CancellationToken ct)
    {
        foreach (var account in route.Locals.ToArray())
        {
            if (await _store.Quotas.GetAsync(account.Id, ct) is not { } quota || !quota.WouldExceed(size))
            {
                continue;
            }

            _events?.PublishQuota(account.Id, new Events.QuotaState(quota.Usage, quota.Limit, "exceeded"));
            var problem = $"{account.Address}: the mailbox is over its storage quota ({quota.Usage:N0} of {quota.Limit:N0} bytes used; the message has {size:N0}).";
            foreach (var refused in route.RemoveLocal(account))
            {
                if (whole)
                {
                    return (ErrorCode.QuotaExceeded, refused == account.Address ? problem : $"{refused}: {problem}");
                }

                route.Failed.Add(Failure(refused, RecipientStatus.OverQuota, ErrorCode.QuotaExceeded, refused == account.Address ? problem : $"{refused}: {problem}"));
            }
        }

        if (_options.Addresses.SubaddressFolders)
        {
            foreach (var (accountId, tag) in route.Tags)
            {
                var folders = await _store.Folders.ListAsync(accountId, ct);
                var folder = folders.FirstOrDefault(f => f.Name == tag) ?? folders.FirstOrDefault(f => string.Equals(f.Name, tag, StringComparison.OrdinalIgnoreCase));
                if (folder is not null)
                {
                    route.Folders[accountId] = folder.Name;
                }
            }
        }

        return (ErrorCode.None, null);
    }

    /// <summary>
    /// The accounts this commit took past 90% of their quota (<see cref="CommitResult.QuotaWarnings"/>):
    /// logged once per crossing, and told to the account's subscribed sessions as a <c>quota</c> event.
    /// </summary>
    private void NoteQuotaWarnings(CommitResult result)
    {
        foreach (var state in result.QuotaWarnings)
        {
            _logger.LogInformation(
                "{Address} is over 90% of its storage quota: {Usage} of {Quota} bytes", state.Address, state.Usage, state.Limit);
            _events?.PublishQuota(state.AccountId, new Events.QuotaState(state.Usage, state.Limit, "warning"));
        }
    }

    /// <summary>
    /// Rewrites the per-account results <see cref="PlanLocalAsync"/> made into results for the addresses
    /// the sender named: an alias, subaddress or catch-all address gets its accounts' best result, and an
    /// account reached only through one of those gets none of its own (its address is not the sender's to see).
    /// </summary>
    private static void FoldResults(Plan plan, Route route)
    {
        if (route.Expanded.Count == 0)
        {
            return;
        }

        var named = new HashSet<string>(route.Addresses, StringComparer.Ordinal);
        var byAccount = new Dictionary<string, RecipientResult>(StringComparer.Ordinal);
        foreach (var result in plan.Results)
        {
            byAccount.TryAdd(result.Recipient, result);
        }

        plan.Results.RemoveAll(r => !named.Contains(r.Recipient) && route.ReachedIndirectly(r.Recipient));
        foreach (var (address, accounts) in route.Expanded)
        {
            var results = accounts.Select(a => byAccount.GetValueOrDefault(a)).OfType<RecipientResult>().ToList();
            var best = results.Find(r => !r.IsPermanentFailure) ?? results.FirstOrDefault();
            if (best is not null)
            {
                plan.Results.Add(best with { Recipient = address });
            }
        }
    }
}
