using Butterfly.Storage.Internal;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Tests;

public sealed class AccountTests
{
    [Fact]
    public async Task AuthenticateAsync_HashQueueFull_BusyAtOnceThenRecovers()
    {
        using var directory = new Butterfly.TestUtilities.TempDirectory("butterfly-store");
        var options = new StoreOptions
        {
            DataDirectory = directory.Path,
            PasswordCost = 4,
            AllowWeakPasswordHashingForTests = true,
            PasswordHashWorkers = 1,
            MaxQueuedPasswordHashes = 2,
        };
        await using var store = await MailStore.OpenAsync(options);
        Assert.True((await store.Accounts.CreateAsync("alice@example.org", "pw")).Ok);

        // The one hashing thread is busy and two logins wait: the next is refused without waiting.
        using var gate = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();
        Assert.True(store.Hashing.TryQueue(() => { running.Set(); gate.Wait(); return 0; }, default, out var blocker));
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        var waiting = new[] { store.Accounts.AuthenticateAsync("alice@example.org", "pw"), store.Accounts.AuthenticateAsync("nobody@example.org", "pw") };
        await Eventually.TrueAsync(() => store.Hashing.Queued == 2, "two hashes wait in the queue");

        var refused = await store.Accounts.AuthenticateAsync("alice@example.org", "pw");
        var refusedChange = await store.Accounts.SetPasswordAsync("alice@example.org", "new");

        Assert.Equal(StoreError.Busy, refused.Error);
        Assert.Equal(StoreError.Busy, refusedChange.Error);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        gate.Set();
        await blocker;
        Assert.True((await waiting[0]).Ok);
        Assert.Equal(StoreError.AuthenticationFailed, (await waiting[1]).Error);
        Assert.True((await store.Accounts.AuthenticateAsync("alice@example.org", "pw")).Ok);
    }

    [Fact]
    public void PasswordHasher_RoundTripsAndRejectsMalformed()
    {
        var hash = PasswordHasher.Hash("pw", 4);

        Assert.True(PasswordHasher.Verify("pw", hash));
        Assert.False(PasswordHasher.Verify("pw2", hash));
        Assert.True(PasswordHasher.TryGetCost(hash, out var cost));
        Assert.Equal(4, cost);
        Assert.False(PasswordHasher.Verify("pw", "plain"));
        Assert.False(PasswordHasher.Verify("pw", hash[..^1]));
        Assert.False(PasswordHasher.Verify("pw", "$2b$31$" + hash[7..]));
        Assert.False(PasswordHasher.Verify("pw", "pbkdf2-sha1$1000$AAAA$AAAA"));
        Assert.False(PasswordHasher.Verify("pw", "pbkdf2-sha256$-5$AAAA$AAAA"));
        Assert.False(PasswordHasher.Verify("pw", "pbkdf2-sha256$1000$!!$AAAA"));
        Assert.True(PasswordHasher.NeedsRehash(hash, 5));
        Assert.False(PasswordHasher.NeedsRehash(hash, 4));
        Assert.True(PasswordHasher.NeedsRehash(AccountStoreConformance.Pbkdf2("pw", 1_000), 4));
        Assert.True(PasswordHasher.Verify("pw", AccountStoreConformance.Pbkdf2("pw", 1_000)));
    }

    [Fact]
    public async Task PasswordHashPool_QueueFull_RefusesWithoutQueueing()
    {
        using var pool = new PasswordHashPool(workers: 1, maxQueued: 1);
        using var gate = new ManualResetEventSlim();
        using var running = new ManualResetEventSlim();

        Assert.True(pool.TryQueue(() => { running.Set(); gate.Wait(); return 1; }, default, out var first));
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(pool.TryQueue(() => 2, default, out var second));
        Assert.False(pool.TryQueue(() => 3, default, out _));
        Assert.Equal(1, pool.Queued);

        gate.Set();
        Assert.Equal((1, 2), (await first, await second));
        Assert.True(pool.TryQueue(() => 4, default, out var third));
        Assert.Equal(4, await third);
    }
}
