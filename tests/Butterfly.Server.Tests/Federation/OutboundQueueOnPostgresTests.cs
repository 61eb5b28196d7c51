using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Server.Queue;
using Butterfly.Storage;
using Butterfly.Storage.Postgres;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// The outbound queue worker of two daemons on one PostgreSQL database (each its own store, as two processes
/// would open it): they share the queue through leases, so every entry is attempted once, and a daemon that
/// died holding entries has them delivered by the other once its leases run out.
/// </summary>
public sealed class OutboundQueueOnPostgresTests(PrivatePostgres cluster) : IClassFixture<PrivatePostgres>
{
    [Fact]
    public async Task Workers_TwoDaemonsOnOneDatabase_EachEntryAttemptedOnceAndTheQueueDrains()
    {
        var database = cluster.CreateDatabase();
        await using var one = await OpenAsync(database, TimeSpan.FromSeconds(60));
        await using var two = await OpenAsync(database, TimeSpan.FromSeconds(60));
        var ids = await EnqueueAsync(one, 60);
        var transport = new QueueScriptedTransport();
        transport.Answer = async call =>
        {
            // Long enough for the two workers' attempts to overlap.
            await Task.Delay(5, call.Token);
            return call.Recipients.Select(r => new RecipientResult(r, RecipientStatus.Delivered, null, null)).ToArray();
        };

        await using (await Worker.StartAsync(one, transport))
        await using (await Worker.StartAsync(two, transport))
        {
            await Eventually.TrueAsync(async () => (await one.Queue.ListAsync()).Count == 0, "the two daemons drain the queue");
        }

        Assert.Equal(ids.Order(), transport.Calls.Select(c => c.DeliveryId).Order());
    }

    [Fact]
    public async Task Workers_DaemonDiedHoldingEntries_SurvivorDeliversThemWhenTheLeasesRunOut()
    {
        var database = cluster.CreateDatabase();
        await using var survivor = await OpenAsync(database, TimeSpan.FromSeconds(2));
        var ids = await EnqueueAsync(survivor, 5);

        // Another daemon claimed everything, then was killed: its leases, 2 s on the server's clock, are not renewed.
        await using (var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var claim = new Npgsql.NpgsqlCommand(
                "UPDATE queue SET lease_owner = 'killed-daemon', lease_until = (extract(epoch from clock_timestamp()) * 1000)::bigint + 2000", connection);
            Assert.Equal(5, await claim.ExecuteNonQueryAsync());
        }

        var transport = new QueueScriptedTransport();

        // The survivor's worker finds nothing it may take, and sleeps until the leases run out (not its minute's poll).
        await using (await Worker.StartAsync(survivor, transport))
        {
            await Eventually.TrueAsync(async () => (await survivor.Queue.ListAsync()).Count == 0, "the survivor delivers the dead daemon's entries", TimeSpan.FromSeconds(20));
        }

        Assert.Equal(ids.Order(), transport.Calls.Select(c => c.DeliveryId).Order());
    }

    private static Task<PostgresMailStore> OpenAsync(string connectionString, TimeSpan lease)
        => PostgresMailStore.OpenAsync(new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
            PasswordHashWorkers = 1,
            LeaseDuration = lease,
        });

    /// <summary>Queues <paramref name="count"/> messages from alice@a.example to b.example, due now; returns their delivery ids.</summary>
    private static async Task<string[]> EnqueueAsync(PostgresMailStore store, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var entries = Enumerable.Range(0, count)
            .Select(i => new QueueEntry(
                QueueKind.Outbound, $"delivery-{i}", "b.example", "alice@a.example", null, [$"r{i}@b.example"], 1, now, QueueWorkerHarness.TestMessage($"m{i}")))
            .ToArray();
        Assert.True((await store.Deliveries.CommitAsync(new DeliveryCommit(now) { Enqueue = entries })).Ok);
        return [.. entries.Select(e => e.DeliveryId)];
    }

    /// <summary>One daemon's outbound worker, on its own store and pipeline.</summary>
    private sealed class Worker : IAsyncDisposable
    {
        private readonly OutboundQueueWorker _worker;

        private Worker(OutboundQueueWorker worker) => _worker = worker;

        public static async Task<Worker> StartAsync(IMailStore store, QueueScriptedTransport transport)
        {
            var options = new ButterflyOptions { Domains = ["a.example"] };
            options.Queue.Concurrency = 4;
            options.Queue.RetrySeconds = [0.1];
            options.Queue.GiveUpAfterSeconds = 3600;
            var pipeline = new DeliveryPipeline(options, store, NullLoggerFactory.Instance, NoFilters.Instance);
            var worker = new OutboundQueueWorker(options, store, transport, NoFilters.Instance, pipeline, NullLoggerFactory.Instance, TimeProvider.System);
            await worker.StartAsync(CancellationToken.None);
            return new Worker(worker);
        }

        public async ValueTask DisposeAsync()
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
        }
    }
}
