using System.Diagnostics.Metrics;
using Butterfly.Storage;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// What the observable gauges report. The queue's depth needs a read of the store, which a gauge's
/// synchronous callback must not do: <see cref="RefreshAsync"/> reads it (two indexed queries) before each
/// scrape, and the callbacks report what it saw. Nothing is read between scrapes.
/// </summary>
internal sealed class ServerGauges
{
    private static volatile ServerGauges? _current;

    private readonly IMailStore _store;
    private readonly Func<long> _pushSubscribers;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private QueueDepth _outbound;
    private QueueDepth _held;

    /// <summary>Reports on <paramref name="store"/> from now on.</summary>
    /// <param name="store">The open store.</param>
    /// <param name="pushSubscribers">Counts the sessions subscribed to events.</param>
    /// <param name="time">The clock for the queue's age.</param>
    public ServerGauges(IMailStore store, Func<long> pushSubscribers, TimeProvider time)
    {
        _store = store;
        _pushSubscribers = pushSubscribers;
        _time = time;

        // The gauges are created with the other instruments; make sure they exist before the first scrape.
        GC.KeepAlive(ButterflyMetrics.QueueDepth);
        _current = this;
    }

    /// <summary>Reads the queue's depth and age from the store.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var outbound = await _store.Queue.DepthAsync(QueueKind.Outbound, ct);
        var held = await _store.Queue.DepthAsync(QueueKind.Inbound, ct);
        lock (_gate)
        {
            _outbound = outbound;
            _held = held;
        }
    }

    internal static IEnumerable<Measurement<long>> QueueDepth()
    {
        if (_current is not { } gauges)
        {
            return [];
        }

        var (outbound, held) = gauges.Read();
        return [new(outbound.Count, Kind("outbound")), new(held.Count, Kind("held"))];
    }

    internal static IEnumerable<Measurement<double>> QueueOldestAge()
    {
        if (_current is not { } gauges)
        {
            return [];
        }

        var now = gauges._time.GetUtcNow();
        var (outbound, held) = gauges.Read();
        return [new(Age(outbound, now), Kind("outbound")), new(Age(held, now), Kind("held"))];
    }

    internal static IEnumerable<Measurement<long>> PushSubscribers() =>
        _current is { } gauges ? [new(gauges._pushSubscribers())] : [];

    internal static IEnumerable<Measurement<long>> StoreRoom() =>
        _current is { _store: MailStore { IsOpen: true } local } ? [new(local.Room)] : [];

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);

    private static double Age(QueueDepth depth, DateTimeOffset now) =>
        depth.Oldest is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0;

    private (QueueDepth Outbound, QueueDepth Held) Read()
    {
        lock (_gate)
        {
            return (_outbound, _held);
        }
    }
}
