using Butterfly.Protocol.Errors;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>Resolving recipients.</summary>
internal sealed partial class DeliveryPipeline
{
    /// <summary>
    /// Sorts recipients into accounts (directly or through aliases, subaddresses and catch-alls), lists,
    /// claimed addresses and remote domains, and takes out the accounts a message of <paramref name="size"/>
    /// bytes would take over their quota. From a local client any
    /// bad recipient refuses the whole message; from a peer or a filter each is refused on its own.
    /// Only a local account, mail a filter writes for one of our own addresses, or a notice to the
    /// sender of a message we took may go to a remote domain; a peer may only deliver to our
    /// domains (DESIGN.md, "Non-negotiables").
    /// </summary>
    private async Task<(ErrorCode Error, string? Problem, Route Route)> RouteAsync(
        IReadOnlyList<string> recipients, MessageOrigin origin, string sender, long size, CancellationToken ct)
    {
        var route = new Route();
        if (recipients.Count == 0)
        {
            return (ErrorCode.RecipientNone, ErrorCode.RecipientNone.DefaultMessage(), route);
        }

        if (recipients.Count > _options.Limits.MaxRecipients)
        {
            return (ErrorCode.RecipientTooMany, $"The message has {recipients.Count} recipients; this server accepts at most {_options.Limits.MaxRecipients}.", route);
        }

        var whole = origin == MessageOrigin.Local;
        var mayRelay = origin is MessageOrigin.Local or MessageOrigin.Notice
            || (origin == MessageOrigin.Filter && Addresses.TryNormalize(sender, out _, out var senderDomain) && _options.IsLocalDomain(senderDomain));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recipient in recipients)
        {
            if (!Addresses.TryNormalize(recipient, out var address, out var domain))
            {
                var problem = $"'{Printable(recipient)}' is not a valid address.";
                if (whole)
                {
                    return (ErrorCode.RecipientInvalid, problem, route);
                }

                route.Failed.Add(Failure(Printable(recipient), RecipientStatus.Rejected, ErrorCode.RecipientInvalid, problem));
                continue;
            }

            if (!seen.Add(address))
            {
                continue;
            }

            if (!_options.IsLocalDomain(domain))
            {
                if (whole && !_options.Federation.Enabled)
                {
                    return (ErrorCode.RecipientRemoteUnsupported, $"{address}: this server does not deliver to other servers ({domain}); federation is turned off.", route);
                }

                if (mayRelay)
                {
                    Add(route.Remote, domain.ToLowerInvariant(), address);
                    route.Addresses.Add(address);
                    continue;
                }

                route.Failed.Add(Failure(address, RecipientStatus.Rejected, ErrorCode.RecipientRelayDenied, $"{address}: this server does not relay to {domain}."));
                continue;
            }

            // protocol/client.md, "Addresses": account, alias, list, claimed address, subaddress, catch-all.
            if (await ResolveLocalAsync(address, domain, ct) is { } resolution)
            {
                var (refusal, reason) = AddResolved(route, address, resolution, sender);
                if (refusal != ErrorCode.None)
                {
                    if (whole)
                    {
                        return (refusal, reason, route);
                    }

                    route.Failed.Add(Failure(address, RecipientStatus.Rejected, refusal, reason!));
                }

                continue;
            }

            var unknown = $"{address}: no such account on this server.";
            if (whole)
            {
                return (ErrorCode.RecipientUnknown, unknown, route);
            }

            route.Failed.Add(Failure(address, RecipientStatus.Unknown, ErrorCode.RecipientUnknown, unknown));
        }

        var (overQuota, quotaProblem) = await CheckQuotasAsync(route, size, whole, ct);
        if (overQuota != ErrorCode.None)
        {
            return (overQuota, quotaProblem, route);
        }

        if (whole && route.Count == 0)
        {
            return (ErrorCode.RecipientNone, ErrorCode.RecipientNone.DefaultMessage(), route);
        }

        return (ErrorCode.None, null, route);
    }

    private static void Add<TKey>(IDictionary<TKey, List<string>> map, TKey key, string address)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(address);
    }

    private static RecipientResult Failure(string address, string status, ErrorCode code, string message) =>
        new(address, status, code.ToWire(), message);

    private static string Printable(string text) =>
        new(text.Take(128).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
