using System.Text;
using Butterfly.Server.Configuration;
using Butterfly.Server.Delivery;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;
using Butterfly.Server.Queue;
using Butterfly.Server.Scripts;
using Butterfly.Storage;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>
/// Mail the server cannot hand to a script (MIME the script engine's reader refuses) is a host fault, not
/// the script's: it is retried on the same schedule as a failed run and then bounced to its sender, not
/// kept queued and retried every first interval for ever. In-process, on a real store: through a daemon
/// such bytes never reach the worker (the trace field written before them makes them readable), so the
/// entry is queued here as the pipeline would queue it.
/// </summary>
public sealed class ScriptHostFaultTests
{
    [Fact]
    public async Task QueuedMessage_ScriptCannotRead_RetriedThenBouncedAndLogged()
    {
        using var directory = new TempDirectory("butterfly-script-host-fault");
        var options = new ButterflyOptions { Domains = ["a.example"], DataDirectory = directory.Path };
        options.Scripts.RetrySeconds = [0.1, 0.1];
        await using var store = await MailStore.OpenAsync(new StoreOptions { DataDirectory = directory.Path, PasswordCost = 4, AllowWeakPasswordHashingForTests = true });
        var dave = (await store.Accounts.CreateAsync("dave@a.example", "dave-password")).Value!;
        await store.Accounts.CreateAsync("alice@a.example", "alice-password");
        Assert.True((await store.Scripts.AllowAsync("play@a.example", "alice@a.example")).Ok);

        // A folded line before the first field: MimeKit gives up ("Failed to parse message headers").
        var content = Encoding.ASCII.GetBytes(" folded\r\nFrom: dave@a.example\r\nTo: play@a.example\r\nSubject: unreadable\r\n\r\nbody\r\n");
        var now = DateTimeOffset.UtcNow;
        var entry = new QueueEntry(
            QueueKind.Script, Guid.NewGuid().ToString("N"), null, dave.Address, dave.Id, ["play@a.example"], 1, now, content, ScriptEntryMeta.New(MessageOrigin.Local, now).Write());
        Assert.True((await store.Deliveries.CommitAsync(new DeliveryCommit(now) { Enqueue = [entry] })).Ok);

        var pipeline = new DeliveryPipeline(options, store, NullLoggerFactory.Instance, NoFilters.Instance);
        using var host = new ScriptHost(options, store, pipeline, NullLoggerFactory.Instance);
        using var worker = new ScriptMessageWorker(host);
        using var held = new HeldMailWorker(pipeline, store, options, NullLoggerFactory.Instance);
        await worker.StartAsync(CancellationToken.None);
        await held.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(
                async () => (await store.Messages.ListAsync(dave.Id, "Inbox", null, 10)).Value!.Messages.Any(m => m.Summary.Subject == "Undelivered mail: unreadable"),
                "dave has the bounce");
            await Eventually.TrueAsync(async () => (await store.Queue.ListAsync()).Count == 0, "the queue is empty");

            var run = Assert.Single(await store.Scripts.ListRunsAsync("play@a.example", 0, 100));
            Assert.Equal("host-error", run.Outcome);
            Assert.Contains("3 attempts", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            await held.StopAsync(CancellationToken.None);
        }
    }
}
