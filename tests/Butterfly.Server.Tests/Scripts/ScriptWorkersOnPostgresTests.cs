using System.Text;
using System.Text.Json;
using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Server.Scripts;
using Butterfly.Storage;
using Butterfly.Storage.Postgres;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>
/// The script message worker of two daemons on one PostgreSQL database (each its own store, as two processes
/// would open it): an address's mail is run once per message and in arrival order, whichever daemon runs it,
/// because neither claims a message of the address while the other holds an earlier one.
/// </summary>
public sealed class ScriptWorkersOnPostgresTests(PrivatePostgres cluster) : IClassFixture<PrivatePostgres>
{
    // Each run changes the state, so runs commit one after another and the state lists the order they ran in.
    private const string Recorder = """
        export function onMessage(message, ctx) {
          ctx.state.seen = (ctx.state.seen || []).concat([message.subject]);
        }
        """;

    [Fact]
    public async Task Workers_TwoDaemonsOnOneDatabase_EachMessageRunOnceInArrivalOrder()
    {
        var database = cluster.CreateDatabase();
        await using var one = await OpenAsync(database);
        await using var two = await OpenAsync(database);
        var alice = (await one.Accounts.CreateAsync("alice@a.example", "alice-password")).Value!;
        Assert.True((await one.Scripts.AllowAsync("play@a.example", alice.Address)).Ok);
        Assert.True((await one.Scripts.PutAsync("play@a.example", alice.Id, Recorder, "recorder", null, null)).Ok);
        var subjects = Enumerable.Range(0, 60).Select(i => $"m{i}").ToArray();

        await using (await Daemon.StartAsync(one))
        await using (await Daemon.StartAsync(two))
        {
            // Mail keeps arriving while the runs go on, through either daemon: each daemon's next look finds new
            // messages of an address whose earlier ones the other may still hold.
            foreach (var wave in subjects.Chunk(6))
            {
                var now = DateTimeOffset.UtcNow;
                var entries = wave.Select(subject => new QueueEntry(
                        QueueKind.Script, Guid.NewGuid().ToString("N"), null, "dave@b.example", null, ["play@a.example"], 1, now,
                        Encoding.ASCII.GetBytes($"From: dave@b.example\r\nTo: play@a.example\r\nSubject: {subject}\r\nMessage-ID: <{subject}@b.example>\r\n\r\nHello.\r\n"),
                        ScriptEntryMeta.New(MessageOrigin.Peer, now).Write()))
                    .ToArray();
                Assert.True((await one.Deliveries.CommitAsync(new DeliveryCommit(now) { Enqueue = entries })).Ok);

                // The next wave arrives once the daemons are working this one: runs and arrivals interleave.
                var waiting = (await one.Queue.ListAsync()).Count;
                await Eventually.TrueAsync(async () => (await one.Queue.ListAsync()).Count is var left && (left < waiting || left == 0), "the daemons take this wave's first message");
            }

            await Eventually.TrueAsync(async () => (await one.Queue.ListAsync()).Count == 0, "the two daemons run the script on every message");
        }

        var state = JsonDocument.Parse((await two.Scripts.GetAsync("play@a.example"))!.State).RootElement;
        Assert.Equal(subjects, state.GetProperty("seen").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(subjects.Length, (await one.Scripts.ListRunsAsync("play@a.example", 0, 100)).Count(r => r.Committed));
    }

    private static Task<PostgresMailStore> OpenAsync(string connectionString)
        => PostgresMailStore.OpenAsync(new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
            PasswordHashWorkers = 1,
        });

    /// <summary>One daemon's script message worker, on its own store, pipeline and script host.</summary>
    private sealed class Daemon : IAsyncDisposable
    {
        private readonly ScriptHost _host;
        private readonly ScriptMessageWorker _worker;

        private Daemon(ScriptHost host, ScriptMessageWorker worker) => (_host, _worker) = (host, worker);

        public static async Task<Daemon> StartAsync(IMailStore store)
        {
            var options = new ButterflyOptions { Domains = ["a.example"] };
            var pipeline = new DeliveryPipeline(options, store, NullLoggerFactory.Instance, NoFilters.Instance);
            var host = new ScriptHost(options, store, pipeline, NullLoggerFactory.Instance);
            var worker = new ScriptMessageWorker(host);
            await worker.StartAsync(CancellationToken.None);
            return new Daemon(host, worker);
        }

        public async ValueTask DisposeAsync()
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
            _host.Dispose();
        }
    }
}
