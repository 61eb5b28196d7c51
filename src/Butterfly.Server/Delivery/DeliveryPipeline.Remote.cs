using Butterfly.Protocol.Errors;

namespace Butterfly.Server.Delivery;

/// <summary>Asking, at send time, how mail for each remote domain would leave.</summary>
internal sealed partial class DeliveryPipeline
{
    // A sender waits this long at most for the lookups; past it the domain is "queued", and the queue finds out.
    private static readonly TimeSpan _remoteLookupLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How each remote domain of <paramref name="route"/> is reached, or the refusal of a domain that takes no
    /// mail at all (a null MX, no such domain, no mail host and no Butterfly server): better said now than
    /// in a bounce.
    /// </summary>
    private async Task<(ErrorCode Error, string? Problem, IReadOnlyDictionary<string, RemoteVia>? Via)> CheckRemoteAsync(Route route)
    {
        if (_remoteRoutes is null || route.Remote.Count == 0)
        {
            return (ErrorCode.None, null, null);
        }

        using var limit = new CancellationTokenSource(_remoteLookupLimit);
        var lookups = route.Remote.Keys.Select(async domain =>
        {
            try
            {
                return (domain, await _remoteRoutes.ResolveAsync(domain, limit.Token));
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                return (domain, new RemoteRoute(RemoteVia.Unknown, "The lookup took too long."));
            }
        }).ToArray();
        var via = new Dictionary<string, RemoteVia>(StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, found) in await Task.WhenAll(lookups))
        {
            if (found.Via == RemoteVia.None)
            {
                var address = route.Remote[domain][0];
                return (ErrorCode.RecipientDomainUnreachable, $"{address}: {found.Problem}", null);
            }

            via[domain] = found.Via;
        }

        return (ErrorCode.None, null, via);
    }
}
