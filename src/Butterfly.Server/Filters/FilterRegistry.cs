using System.Collections.Concurrent;
using System.Collections.Immutable;
using Butterfly.Server.Configuration;

using Butterfly.Server.Mail;

namespace Butterfly.Server.Filters;

/// <summary>
/// The filter connections registered now, by filter name, and the addresses each filter claims
/// (protocol/filter.md, "filter.register", "Claimed addresses"). A filter may hold several
/// connections; requests go to the one with the most free slots. Claims outlive the connections
/// that made them, so mail to a claimed address meets the claimant's failure policy while it is away.
/// </summary>
internal sealed class FilterRegistry
{
    private readonly object _lock = new();
    // Folded address key (Mail/Addresses.Key) -> the claiming filter and the address as claimed, so
    // ａlice@ (fullwidth) is the claim on alice@, and Café in NFD the claim on Café.
    private readonly ConcurrentDictionary<string, (string Filter, string Address)> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<FilterConnection, byte> _open = new();
    private ImmutableDictionary<string, ImmutableList<FilterConnection>> _connections =
        ImmutableDictionary<string, ImmutableList<FilterConnection>>.Empty.WithComparers(StringComparer.Ordinal);

    public FilterRegistry(ButterflyOptions options)
    {
        foreach (var filter in options.Filters)
        {
            foreach (var claim in filter.Claims)
            {
                var address = Addresses.TryNormalize(claim, out var normalized, out _) ? normalized : claim.Trim().ToLowerInvariant();
                _claims.TryAdd(Addresses.Key(address), (filter.Name, address));
            }
        }
    }

    /// <summary>
    /// Raised with the filter's name each time a connection registers; the server wakes the held-mail
    /// worker on it (filter.md, "Failure policies": held mail is retried at once).
    /// </summary>
    public event Action<string>? Registered;

    /// <summary>Open filter connections, registered or not.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Notes a connection that has opened (registered or not), so shutdown can close it.</summary>
    public void Track(FilterConnection connection) => _open.TryAdd(connection, 0);

    /// <summary>Forgets a connection that has ended.</summary>
    public void Untrack(FilterConnection connection) => _open.TryRemove(connection, out _);

    /// <summary>Closes every open filter connection with the given error frame (shutdown).</summary>
    /// <param name="reason">The error frame's code.</param>
    public void CloseAll(Butterfly.Protocol.Errors.ErrorCode reason)
    {
        foreach (var connection in _open.Keys)
        {
            connection.Close(reason);
        }
    }

    /// <summary>Whether any address is claimed.</summary>
    public bool HasClaims => !_claims.IsEmpty;

    /// <summary>The filter claiming <paramref name="address"/> (normalized), or null.</summary>
    public string? ClaimantOf(string address) => _claims.TryGetValue(Addresses.Key(address), out var claim) ? claim.Filter : null;

    /// <summary>Every address <paramref name="name"/> claims.</summary>
    public IReadOnlyList<string> ClaimsOf(string name) =>
        [.. _claims.Values.Where(c => c.Filter == name).Select(c => c.Address).Order(StringComparer.Ordinal)];

    /// <summary>How many connections <paramref name="name"/> has registered now.</summary>
    public int ConnectionCount(string name) => _connections.TryGetValue(name, out var list) ? list.Count : 0;

    /// <summary>Adds a registered connection and its claims, unless another filter claims one of them.</summary>
    /// <param name="connection">The connection, its name and claims set.</param>
    /// <param name="conflict">The address claimed by another filter, when it returns false.</param>
    public bool TryAdd(FilterConnection connection, out string? conflict)
    {
        var name = connection.Name!;
        lock (_lock)
        {
            conflict = connection.Claims.FirstOrDefault(c => _claims.TryGetValue(Addresses.Key(c), out var owner) && owner.Filter != name);
            if (conflict is not null)
            {
                return false;
            }

            foreach (var claim in connection.Claims)
            {
                _claims[Addresses.Key(claim)] = (name, claim);
            }

            var list = _connections.TryGetValue(name, out var existing) ? existing : [];
            _connections = _connections.SetItem(name, list.Add(connection));
        }

        Registered?.Invoke(name);
        return true;
    }

    /// <summary>Removes a connection that has closed.</summary>
    public void Remove(FilterConnection connection)
    {
        if (connection.Name is not { } name)
        {
            return;
        }

        lock (_lock)
        {
            if (_connections.TryGetValue(name, out var list))
            {
                list = list.Remove(connection);
                _connections = list.IsEmpty ? _connections.Remove(name) : _connections.SetItem(name, list);
            }
        }
    }

    /// <summary>
    /// Takes a request slot on the least-loaded connection of <paramref name="name"/> serving
    /// <paramref name="stage"/>, waiting while all are full. Null when none is connected.
    /// The caller releases the slot with <see cref="FilterConnection.ReleaseSlot"/>.
    /// </summary>
    public async Task<FilterConnection?> AcquireAsync(string name, FilterStage stage, CancellationToken ct)
    {
        if (!_connections.TryGetValue(name, out var list))
        {
            return null;
        }

        FilterConnection? best = null;
        foreach (var connection in list)
        {
            if (connection.Serves(stage) && (best is null || connection.FreeSlots > best.FreeSlots))
            {
                best = connection;
            }
        }

        if (best is null)
        {
            return null;
        }

        await best.AcquireSlotAsync(ct);
        return best;
    }
}
