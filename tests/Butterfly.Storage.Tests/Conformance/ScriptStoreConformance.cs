namespace Butterfly.Storage.Tests;

/// <summary>
/// Programmable addresses (allow list, scripts, state, schedules, run log, runs committed with deliveries), the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class ScriptStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task AllowAsync_AddressOwnership_OneOwnerPerAddressAndOwnAccountAllowed()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        await fixture.CreateAccountAsync("bob@example.org");
        var scripts = fixture.Store.Scripts;

        Assert.Equal(alice.Id, (await scripts.AllowAsync("Play@example.org", "alice@example.org")).Value!.OwnerId);
        Assert.Equal(StoreError.AddressTaken, (await scripts.AllowAsync("bob@example.org", "alice@example.org")).Error);
        Assert.True((await scripts.AllowAsync("alice@example.org", "alice@example.org")).Ok);
        Assert.Equal(StoreError.AccountNotFound, (await scripts.AllowAsync("x@example.org", "nobody@example.org")).Error);

        // The address is held: no alias, list or account may take it.
        Assert.Equal(StoreError.AddressTaken, (await fixture.Store.Aliases.AddAsync("play@example.org", ["bob@example.org"])).Error);
        Assert.Equal(StoreError.AddressTaken, (await fixture.Store.Accounts.CreateAsync("play@example.org", "secret")).Error);

        // Only the owner (or the operator, null) changes it.
        var bob = (await fixture.Store.Accounts.FindAsync("bob@example.org"))!;
        Assert.Equal(StoreError.ScriptNotAllowed, (await scripts.PutAsync("play@example.org", bob.Id, "x", "h", null, null)).Error);
        Assert.Equal(1, (await scripts.PutAsync("play@example.org", alice.Id, "x", "h1", null, null)).Value!.Version);
        Assert.Equal(2, (await scripts.PutAsync("play@example.org", null, "y", "h2", null, null)).Value!.Version);
        Assert.True(await scripts.HasScriptAsync("play@example.org"));
        Assert.Null(await scripts.GetAsync("play@example.org", bob.Id));

        Assert.True((await scripts.DisallowAsync("play@example.org")).Ok);
        Assert.False(await scripts.HasScriptAsync("play@example.org"));
        Assert.Null(await scripts.GetAsync("play@example.org"));
        Assert.True((await fixture.Store.Aliases.AddAsync("play@example.org", ["bob@example.org"])).Ok);
    }

    [Fact]
    public async Task CommitAsync_ScriptRunConsumingItsEntry_CommitsOnceAndConflictsChangeNothing()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var scripts = fixture.Store.Scripts;
        await scripts.AllowAsync("play@example.org", "alice@example.org");
        var script = (await scripts.PutAsync("play@example.org", alice.Id, "x", "h", null, null)).Value!;
        var now = DateTimeOffset.UtcNow;
        var queued = await fixture.Store.Deliveries.CommitAsync(new DeliveryCommit(now)
        {
            Enqueue = [new QueueEntry(QueueKind.Script, "d1", null, "bob@example.net", null, ["play@example.org"], 0, now, TestMessages.Bytes("hi"))],
        });
        var entry = queued.Value!.QueueIds[0];

        DeliveryCommit Run(long stateVersion) => new(now)
        {
            Copies = [new ContentCopies(TestMessages.Bytes("filed"), TestMessages.Summary("filed"), [new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None)])],
            ScriptRun = new ScriptRunRecord(new ScriptRun(0, "play@example.org", now, "message", "completed", true, script.Version, "d1", "bob@example.net", null, "[]", null, null, 10, 5))
            {
                NewState = """{"n":1}""",
                ExpectedStateVersion = stateVersion,
                ConsumeQueueId = entry,
            },
        };

        // A state changed meanwhile: nothing of the run is kept.
        var stale = await fixture.Store.Deliveries.CommitAsync(Run(script.StateVersion + 1));
        Assert.Equal(StoreError.ScriptConflict, stale.Error);
        Assert.NotNull(await fixture.Store.Queue.FindAsync(entry));
        Assert.Empty((await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 100)).Value!.Messages);

        Assert.True((await fixture.Store.Deliveries.CommitAsync(Run(script.StateVersion))).Ok);
        Assert.Null(await fixture.Store.Queue.FindAsync(entry));
        Assert.Equal("""{"n":1}""", (await scripts.GetAsync("play@example.org"))!.State);

        // The same entry again (a second worker, a repeat): refused whole, no second copy.
        var again = await fixture.Store.Deliveries.CommitAsync(Run(script.StateVersion + 1));
        Assert.Equal(StoreError.ScriptConflict, again.Error);
        Assert.Single((await fixture.Store.Messages.ListAsync(alice.Id, "Inbox", null, 100)).Value!.Messages);
        Assert.Single(await scripts.ListRunsAsync("play@example.org", 0, 100));
    }

    [Fact]
    public async Task ClaimDueSchedulesAsync_DueRuns_MostOverdueFirstUntilTheRunMovesTheTime()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var scripts = fixture.Store.Scripts;
        var now = TestMessages.Received;
        foreach (var (address, due) in new[] { ("late@example.org", now.AddMinutes(-1)), ("early@example.org", now.AddMinutes(-5)), ("later@example.org", now.AddHours(1)) })
        {
            await scripts.AllowAsync(address, "alice@example.org");
            Assert.True((await scripts.PutAsync(address, alice.Id, "x", "h", "every 1h", due)).Ok);
        }

        var claimed = await scripts.ClaimDueSchedulesAsync(now, 10);
        Assert.Equal(["early@example.org", "late@example.org"], claimed.Select(s => s.Address));
        Assert.Equal(now.AddMinutes(-5), claimed[0].NextRun);
        Assert.Equal("early@example.org", Assert.Single(await scripts.ClaimDueSchedulesAsync(now, 1)).Address);

        // The run's commit moves the time on, which ends the claim.
        var run = new ScriptRun(0, "early@example.org", now, "schedule", "completed", true, 1, null, null, null, "[]", null, null, 1, 1);
        Assert.True((await fixture.Store.Deliveries.CommitAsync(new DeliveryCommit(now)
        {
            ScriptRun = new ScriptRunRecord(run) { ExpectedNextRun = now.AddMinutes(-5), NextRun = now.AddHours(3) },
        })).Ok);
        Assert.Equal(["late@example.org"], (await scripts.ClaimDueSchedulesAsync(now, 10)).Select(s => s.Address));
        Assert.Equal(now.AddMinutes(-1), await scripts.NextScheduleAsync());
    }

    [Fact]
    public async Task RecordRunAsync_PastTheRetention_KeepsTheNewestRuns()
    {
        await using var fixture = await OpenAsync();
        await fixture.CreateAccountAsync("alice@example.org");
        await fixture.Store.Scripts.AllowAsync("play@example.org", "alice@example.org");
        for (var i = 0; i < 12; i++)
        {
            await fixture.Store.Scripts.RecordRunAsync(
                new ScriptRun(0, "play@example.org", DateTimeOffset.UtcNow, "message", "runtime-error", false, 1, null, null, $"<{i}@x>", null, "boom", null, 1, 1),
                keep: 5);
        }

        var runs = await fixture.Store.Scripts.ListRunsAsync("play@example.org", 0, 100);
        Assert.Equal(["<7@x>", "<8@x>", "<9@x>", "<10@x>", "<11@x>"], runs.Select(r => r.MessageId));
        Assert.Equal(runs.Select(r => r.MessageId), (await fixture.Store.Scripts.LatestRunsAsync("play@example.org", 5)).Select(r => r.MessageId));
    }
}
