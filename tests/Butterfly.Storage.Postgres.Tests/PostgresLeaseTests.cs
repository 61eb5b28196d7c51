using System.Collections.Concurrent;
using Butterfly.Storage.Tests;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// Two stores on one database, as two daemons: the queue's and the schedules' claims (README.md, "Leases") are
/// disjoint, cover everything, keep each address's script mail in order, and a dead daemon's are taken over.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLeaseTests(PrivatePostgres cluster)
{
    private static readonly DateTimeOffset Now = TestMessages.Received;

    [Fact]
    public async Task ClaimDueAsync_TwoStoresAtOnce_DisjointAndTogetherEverything()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        var ids = await EnqueueAsync(a, QueueKind.Outbound, 300, i => $"r{i}@b.example");

        var claims = await Task.WhenAll(a.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 150), b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 150));

        var (fromA, fromB) = (claims[0].Select(e => e.Id).ToHashSet(), claims[1].Select(e => e.Id).ToHashSet());
        Assert.Empty(fromA.Intersect(fromB));
        Assert.Equal(ids.Order(), fromA.Concat(fromB).Order());

        // Each store gets its own back and nothing of the other's.
        Assert.Equal(fromA.Order(), (await a.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 300)).Select(e => e.Id).Order());
        Assert.Equal(fromB.Order(), (await b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 300)).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task ClaimDueAsync_TwoWorkersDrainingOneQueue_EachEntryWorkedOnce()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        var ids = await EnqueueAsync(a, QueueKind.Inbound, 200, i => "bob@example.org");
        var worked = new ConcurrentDictionary<long, string>();

        async Task DrainAsync(PostgresMailStore store, string name)
        {
            while (await store.Queue.ClaimDueAsync(QueueKind.Inbound, Now, 7) is { Count: > 0 } claimed)
            {
                foreach (var entry in claimed)
                {
                    Assert.True(worked.TryAdd(entry.Id, name), $"entry {entry.Id} was worked by {worked.GetValueOrDefault(entry.Id)} and then claimed by {name}");
                    Assert.True(await store.Queue.RemoveAsync(entry.Id));
                }
            }
        }

        await Task.WhenAll(Task.Run(() => DrainAsync(a, "a")), Task.Run(() => DrainAsync(b, "b")));

        Assert.Equal(ids.Order(), worked.Keys.Order());
        Assert.Empty(await a.Queue.ListAsync());
    }

    [Fact]
    public async Task ClaimDueAsync_ClaimerClosedItsStore_OtherStoreTakesTheEntriesAtOnce()
    {
        var database = cluster.CreateDatabase();
        await using var b = await OpenAsync(database);
        long[] ids;
        await using (var a = await OpenAsync(database))
        {
            ids = await EnqueueAsync(a, QueueKind.Outbound, 4, i => $"r{i}@b.example");
            Assert.Equal(4, (await a.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10)).Count);
            Assert.Empty(await b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10));
        }

        Assert.Equal(ids, (await b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10)).Select(e => e.Id));
    }

    [Fact]
    public async Task ClaimDueAsync_ClaimerStoppedRenewing_OtherStoreTakesOverWhenTheLeaseRunsOut()
    {
        var database = cluster.CreateDatabase();
        var lease = TimeSpan.FromSeconds(2);
        await using var a = await OpenAsync(database, lease);
        await using var b = await OpenAsync(database, lease);
        var ids = await EnqueueAsync(a, QueueKind.Outbound, 3, i => $"r{i}@b.example");
        Assert.Equal(3, (await a.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10)).Count);

        // As a daemon killed mid-delivery: its claims are neither renewed nor given back.
        await ((PgQueueStore)a.Queue).Leases.AbandonAsync();
        var asked = DateTimeOffset.UtcNow;
        Assert.Empty(await b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10));

        // The survivor knows when to look again: when the lease runs out, not the entries' (long past) due time.
        var next = await b.Queue.NextAttemptAfterAsync(QueueKind.Outbound, Now);
        Assert.NotNull(next);
        Assert.InRange(next.Value, asked - TimeSpan.FromMilliseconds(100), asked + lease + TimeSpan.FromSeconds(1));

        IReadOnlyList<QueuedMessage> taken = [];
        await Eventually.TrueAsync(async () => (taken = await b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10)).Count > 0, "the survivor claims the entries");
        Assert.Equal(ids, taken.Select(e => e.Id));
        Assert.Empty(await a.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10));
    }

    [Fact]
    public async Task ClaimDueAsync_ClaimerAlive_RenewsItsLeasesPastTheirDuration()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database, TimeSpan.FromSeconds(3));
        await using var b = await OpenAsync(database, TimeSpan.FromSeconds(3));
        await EnqueueAsync(a, QueueKind.Outbound, 2, i => $"r{i}@b.example");
        Assert.Equal(2, (await a.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10)).Count);
        var first = await ScalarAsync(database, "SELECT MIN(lease_until) FROM queue");

        await Eventually.TrueAsync(async () => await ScalarAsync(database, "SELECT MIN(lease_until) FROM queue") > first, "the claimer renews its leases");

        Assert.Empty(await b.Queue.ClaimDueAsync(QueueKind.Outbound, Now, 10));
        Assert.Equal(2, await ScalarAsync(database, "SELECT COUNT(*) FROM queue WHERE lease_owner IS NOT NULL"));
    }

    [Fact]
    public async Task ClaimDueAsync_ScriptMailAcrossStores_NoLaterMessageOfAnAddressWhileAnEarlierIsHeld()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        var ids = await EnqueueAsync(a, QueueKind.Script, 5, i => i % 2 == 0 ? "x@example.org" : "y@example.org");
        var (x1, y1, x2, y2, x3) = (ids[0], ids[1], ids[2], ids[3], ids[4]);

        Assert.Equal([x1], (await a.Queue.ClaimDueAsync(QueueKind.Script, Now, 1)).Select(e => e.Id));
        Assert.Equal([y1, y2], (await b.Queue.ClaimDueAsync(QueueKind.Script, Now, 10)).Select(e => e.Id));

        // x1 consumed: the rest of x's mail may go to whoever claims next, in order.
        Assert.True(await a.Queue.RemoveAsync(x1));
        Assert.Equal([y1, x2, y2, x3], (await b.Queue.ClaimDueAsync(QueueKind.Script, Now, 10)).Select(e => e.Id));
        Assert.Empty(await a.Queue.ClaimDueAsync(QueueKind.Script, Now, 10));
    }

    [Fact]
    public async Task ClaimDueAsync_TwoStoresDrainingScriptMail_EachAddressWorkedInArrivalOrder()
    {
        var database = cluster.CreateDatabase();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        var ids = await EnqueueAsync(a, QueueKind.Script, 120, i => $"s{i % 12}@example.org");
        var started = new ConcurrentQueue<(string Address, long Id)>();

        async Task DrainAsync(PostgresMailStore store)
        {
            while (await store.Queue.ClaimDueAsync(QueueKind.Script, Now, 5) is { Count: > 0 } claimed)
            {
                foreach (var entry in claimed.OrderBy(e => e.Id))
                {
                    // Noted before the entry is consumed: the next of its address cannot be claimed before that.
                    started.Enqueue((entry.Recipients[0], entry.Id));
                    Assert.True(await store.Queue.RemoveAsync(entry.Id));
                }
            }
        }

        await Task.WhenAll(Task.Run(() => DrainAsync(a)), Task.Run(() => DrainAsync(b)));

        Assert.Equal(ids.Order(), started.Select(s => s.Id).Order());
        foreach (var address in started.GroupBy(s => s.Address))
        {
            var order = address.Select(s => s.Id).ToList();
            Assert.Equal(order.Order(), order);
        }
    }

    [Fact]
    public async Task ClaimDueSchedulesAsync_TwoStores_EachRunClaimedByOneAndTakenOverWhenItsStoreCloses()
    {
        var database = cluster.CreateDatabase();
        await using var b = await OpenAsync(database);
        var alice = (await b.Accounts.CreateAsync("alice@example.org", "secret")).Value!;
        foreach (var (address, due) in new[] { ("one@example.org", Now.AddMinutes(-2)), ("two@example.org", Now.AddMinutes(-1)) })
        {
            await b.Scripts.AllowAsync(address, alice.Address);
            Assert.True((await b.Scripts.PutAsync(address, alice.Id, "x", "h", "every 1h", due)).Ok);
        }

        await using (var a = await OpenAsync(database))
        {
            Assert.Equal("one@example.org", Assert.Single(await a.Scripts.ClaimDueSchedulesAsync(Now, 1)).Address);
            Assert.Equal("two@example.org", Assert.Single(await b.Scripts.ClaimDueSchedulesAsync(Now, 10)).Address);

            // b's run moves its time on; the next b must look at is when a's lease could run out, not one's past due time.
            var run = new ScriptRun(0, "two@example.org", Now, "schedule", "completed", true, 1, null, null, null, "[]", null, null, 1, 1);
            Assert.True((await b.Deliveries.CommitAsync(new DeliveryCommit(Now)
            {
                ScriptRun = new ScriptRunRecord(run) { ExpectedNextRun = Now.AddMinutes(-1), NextRun = DateTimeOffset.UtcNow.AddHours(1) },
            })).Ok);
            var next = await b.Scripts.NextScheduleAsync();
            Assert.InRange(next!.Value, DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow.AddSeconds(61));
            Assert.Empty(await b.Scripts.ClaimDueSchedulesAsync(Now, 10));
        }

        Assert.Equal("one@example.org", Assert.Single(await b.Scripts.ClaimDueSchedulesAsync(Now, 10)).Address);
    }

    private static Task<PostgresMailStore> OpenAsync(string connectionString, TimeSpan? lease = null)
        => PostgresMailStore.OpenAsync(new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
            PasswordHashWorkers = 1,
            LeaseDuration = lease ?? TimeSpan.FromSeconds(60),
        });

    /// <summary>Queues <paramref name="count"/> entries due one second apart, oldest first; returns their ids in that order.</summary>
    private static async Task<long[]> EnqueueAsync(PostgresMailStore store, QueueKind kind, int count, Func<int, string> recipient)
    {
        var entries = Enumerable.Range(0, count)
            .Select(i => new QueueEntry(
                kind, $"d{i}", kind == QueueKind.Outbound ? "b.example" : null, "carol@example.net", null, [recipient(i)], 0, Now.AddSeconds(i - count), TestMessages.Bytes($"m{i}")))
            .ToArray();
        var committed = await store.Deliveries.CommitAsync(new DeliveryCommit(Now) { Enqueue = entries });
        Assert.True(committed.Ok, committed.Detail);
        return [.. committed.Value!.QueueIds];
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
