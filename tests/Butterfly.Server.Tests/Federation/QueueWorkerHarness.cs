using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Filters;
using Butterfly.Server.Queue;
using Butterfly.Storage;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// The outbound queue worker in-process, on a real store in a temp folder, with a scripted
/// <see cref="IPeerTransport"/> standing in for the peer; and the held-mail worker, which delivers
/// the bounces and delay notices the queue writes through the pipeline.
/// </summary>
internal sealed class QueueWorkerHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private OutboundQueueWorker? _worker;
    private HeldMailWorker? _held;
    private DeliveryPipeline? _pipeline;

    private QueueWorkerHarness(TempDirectory directory, ButterflyOptions options, MailStore store, Account alice)
    {
        _directory = directory;
        Options = options;
        Store = store;
        Alice = alice;
    }

    public ButterflyOptions Options { get; }

    public MailStore Store { get; }

    /// <summary>The local sender, alice@a.example.</summary>
    public Account Alice { get; }

    public QueueScriptedTransport Transport { get; } = new();

    /// <summary>Wakes the outbound worker (the pipeline's signal; after <see cref="StartAsync"/>).</summary>
    public WorkSignal Signal => _pipeline?.OutboundQueued ?? throw new InvalidOperationException("Start the workers first.");

    public static async Task<QueueWorkerHarness> CreateAsync(Action<QueueOptions>? configure = null)
    {
        var options = new ButterflyOptions { Domains = ["a.example"] };
        options.Queue.RetrySeconds = [0.1];
        options.Queue.GiveUpAfterSeconds = 3600;
        options.Queue.DelayNoticeAfterSeconds = 0;
        configure?.Invoke(options.Queue);
        var directory = new TempDirectory("butterfly-queue");
        options.DataDirectory = directory.Path;
        var store = await MailStore.OpenAsync(new StoreOptions
        {
            DataDirectory = directory.Path,
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
        });
        var alice = (await store.Accounts.CreateAsync("alice@a.example", "alice-password")).Value!;
        return new QueueWorkerHarness(directory, options, store, alice);
    }

    /// <summary>
    /// Starts the outbound worker with <paramref name="filters"/> (none by default) and, unless
    /// <paramref name="deliverNotices"/> is false, the held-mail worker, whose pipeline runs
    /// <paramref name="inbound"/> (none by default).
    /// </summary>
    public async Task StartAsync(IFilterChain? filters = null, IFilterChain? inbound = null, bool deliverNotices = true)
    {
        _pipeline = new DeliveryPipeline(Options, Store, NullLoggerFactory.Instance, inbound ?? NoFilters.Instance);
        _worker = new OutboundQueueWorker(Options, Store, Transport, filters ?? NoFilters.Instance, _pipeline, NullLoggerFactory.Instance, TimeProvider.System);
        await _worker.StartAsync(CancellationToken.None);
        if (deliverNotices)
        {
            await StartNoticesAsync();
        }
    }

    /// <summary>Starts the held-mail worker (after <see cref="StartAsync"/> without it).</summary>
    public async Task StartNoticesAsync()
    {
        _held = new HeldMailWorker(_pipeline!, Store, Options, NullLoggerFactory.Instance);
        await _held.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
            _worker = null;
        }

        if (_held is not null)
        {
            await _held.StopAsync(CancellationToken.None);
            _held.Dispose();
            _held = null;
        }
    }

    /// <summary>Queues a message from alice to <paramref name="recipients"/> on b.example.</summary>
    public async Task<long> EnqueueAsync(string subject, string[] recipients, string? sender = null, long? senderAccount = -1, string deliveryId = "")
    {
        var content = TestMessage(subject);
        var entry = new QueueEntry(
            QueueKind.Outbound,
            deliveryId.Length > 0 ? deliveryId : Guid.NewGuid().ToString("N"),
            "b.example",
            sender ?? Alice.Address,
            senderAccount == -1 ? Alice.Id : senderAccount,
            recipients,
            1,
            DateTimeOffset.UtcNow,
            content);
        var result = await Store.Deliveries.CommitAsync(new DeliveryCommit(DateTimeOffset.UtcNow) { Enqueue = [entry] });
        _pipeline?.OutboundQueued.Set();
        return result.Value!.QueueIds[0];
    }

    public static byte[] TestMessage(string subject) => System.Text.Encoding.UTF8.GetBytes(
        $"From: Alice <alice@a.example>\r\nTo: bob@b.example\r\nSubject: {subject}\r\nMessage-ID: <{subject}@a.example>\r\n"
        + "X-Original-Marker: kept-in-bounce\r\nDate: Sat, 21 Nov 2026 12:00:00 +0000\r\n\r\nHello Bob.\r\n");

    /// <summary>The messages in alice's <paramref name="folder"/>, with their bytes.</summary>
    public async Task<IReadOnlyList<StoredMessage>> AliceInboxAsync(string folder = "Inbox")
    {
        var page = await Store.Messages.ListAsync(Alice.Id, folder, null, 100);
        var result = new List<StoredMessage>();
        foreach (var item in page.Value!.Messages)
        {
            result.Add((await Store.Messages.FetchAsync(Alice.Id, folder, item.Id)).Value!);
        }

        return result;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 20 ms), or fails after 15 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public async Task WaitForEmptyQueueAsync() =>
        await WaitUntilAsync(async () => (await Store.Queue.ListAsync()).Count == 0, "the queue is empty");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
