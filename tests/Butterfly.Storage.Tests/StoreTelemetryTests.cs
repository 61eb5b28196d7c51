using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Butterfly.Storage.Tests;

/// <summary>What the store offers the metrics: the queue's depth and age, and the writer's commit instruments.</summary>
public sealed class StoreTelemetryTests
{
    [Fact]
    public async Task DepthAsync_EntriesOfBothKinds_CountAndOldestOfEach()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1); // entries are dated by the writer's clock, in whole milliseconds
        var first = TestMessages.Received;
        var later = first.AddMinutes(5);
        var outbound = (await fixture.Store.Deliveries.CommitAsync(new DeliveryCommit(first)
        {
            Enqueue =
            [
                new QueueEntry(QueueKind.Outbound, "o1", "b.example", "alice@example.org", null, ["x@b.example"], 0, first, TestMessages.Bytes("o1")),
                new QueueEntry(QueueKind.Outbound, "o2", "c.example", "alice@example.org", null, ["x@c.example"], 0, first, TestMessages.Bytes("o2")),
            ],
        })).Value!.QueueIds;
        await fixture.Store.Deliveries.CommitAsync(new DeliveryCommit(later)
        {
            Enqueue = [new QueueEntry(QueueKind.Inbound, "h1", null, "bob@example.org", null, ["alice@example.org"], 0, later, TestMessages.Bytes("h1"))],
        });

        var (outboundCount, outboundOldest) = await fixture.Store.Queue.DepthAsync(QueueKind.Outbound);
        var (heldCount, heldOldest) = await fixture.Store.Queue.DepthAsync(QueueKind.Inbound);
        Assert.Equal((2, 1), (outboundCount, heldCount));
        Assert.InRange(outboundOldest!.Value, start, DateTimeOffset.UtcNow);
        Assert.InRange(heldOldest!.Value, outboundOldest.Value, DateTimeOffset.UtcNow);

        foreach (var id in outbound)
        {
            Assert.True(await fixture.Store.Queue.RemoveAsync(id));
        }

        Assert.Equal(new QueueDepth(0, null), await fixture.Store.Queue.DepthAsync(QueueKind.Outbound));
    }

    [Fact]
    public async Task Commit_ListenerOnTheStoreMeter_BatchSizeAndDurationRecorded()
    {
        var seen = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => seen.Enqueue((instrument.Name, value)));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen.Enqueue((instrument.Name, value)));
        listener.Start();
        await using var fixture = await StoreFixture.CreateAsync();

        await fixture.CreateAccountAsync();

        // Other tests commit at the same time, in this process: what is seen is at least this commit.
        Assert.Contains(seen, m => m.Instrument == "butterfly.store.commit.batch_size" && m.Value >= 1);
        Assert.Contains(seen, m => m.Instrument == "butterfly.store.commit.duration" && m.Value > 0);
    }
}
