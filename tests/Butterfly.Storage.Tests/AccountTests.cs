using Butterfly.Storage.Internal;

namespace Butterfly.Storage.Tests;

public sealed class AccountTests
{
    [Fact]
    public async Task CreateAccountAsync_StoresLowerCaseAddress()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var result = await fixture.Store.CreateAccountAsync("Alice@Example.ORG", "secret");

        Assert.True(result.Ok);
        Assert.Equal("alice@example.org", result.Value!.Address);
        Assert.True(result.Value.Id > 0);
        Assert.Equal(result.Value, await fixture.Store.FindAccountAsync("ALICE@example.org"));
    }

    [Fact]
    public async Task CreateAccountAsync_DuplicateInAnyCase_AccountExists()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.CreateAccountAsync("alice@example.org");

        var duplicate = await fixture.Store.CreateAccountAsync("ALICE@example.org", "other");

        Assert.Equal(StoreError.AccountExists, duplicate.Error);
        Assert.False(duplicate.Ok);
        Assert.Single(await fixture.Store.ListAccountsAsync());
    }

    [Fact]
    public async Task CreateAccountAsync_GivesDefaultFolders()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();

        var folders = await fixture.Store.ListFoldersAsync(alice.Id);

        Assert.Equal(["Drafts", "Inbox", "Junk", "Sent", "Trash"], folders.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(folders, f => Assert.Equal((0L, 0L, 1L), (f.Messages, f.Unseen, f.NextId)));
    }

    [Fact]
    public async Task CreateAccountAsync_InvalidAddress_Throws()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.CreateAccountAsync("", "secret"));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.CreateAccountAsync("a b@example.org", "secret"));
    }

    [Fact]
    public async Task AuthenticateAsync_RightWrongUnknown()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "correct horse");

        Assert.Equal(alice, await fixture.Store.AuthenticateAsync("Alice@example.org", "correct horse"));
        Assert.Null(await fixture.Store.AuthenticateAsync("alice@example.org", "Correct horse"));
        Assert.Null(await fixture.Store.AuthenticateAsync("alice@example.org", ""));
        Assert.Null(await fixture.Store.AuthenticateAsync("nobody@example.org", "correct horse"));
        Assert.Null(await fixture.Store.AuthenticateAsync("", "correct horse"));
    }

    [Fact]
    public async Task CreateAccountAsync_StoresVersionedPbkdf2Hash()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        await fixture.CreateAccountAsync();

        var hash = Database.Text(fixture, "SELECT password_hash FROM accounts")!;

        var parts = hash.Split('$');
        Assert.Equal(["pbkdf2-sha256", "1000"], parts[..2]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain("secret", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_AfterCostRaised_UpgradesHash()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "pw");
        await fixture.ReopenAsync(passwordIterations: 2_000);

        Assert.Null(await fixture.Store.AuthenticateAsync("alice@example.org", "wrong"));
        Assert.StartsWith("pbkdf2-sha256$1000$", Database.Text(fixture, "SELECT password_hash FROM accounts"), StringComparison.Ordinal);
        Assert.Equal(alice, await fixture.Store.AuthenticateAsync("alice@example.org", "pw"));

        Assert.StartsWith("pbkdf2-sha256$2000$", Database.Text(fixture, "SELECT password_hash FROM accounts"), StringComparison.Ordinal);
        Assert.Equal(alice, await fixture.Store.AuthenticateAsync("alice@example.org", "pw"));
    }

    [Fact]
    public async Task SetPasswordAsync_ChangesPassword()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "old");

        var result = await fixture.Store.SetPasswordAsync("ALICE@example.org", "new");

        Assert.Equal(alice, result.Value);
        Assert.Null(await fixture.Store.AuthenticateAsync("alice@example.org", "old"));
        Assert.Equal(alice, await fixture.Store.AuthenticateAsync("alice@example.org", "new"));
        Assert.Equal(StoreError.AccountNotFound, (await fixture.Store.SetPasswordAsync("bob@example.org", "x")).Error);
    }

    [Fact]
    public async Task DeleteAccountAsync_RemovesFoldersMessagesAndOwnContentsOnly()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.DeliverAsync(TestMessages.Delivery(
            "shared", new DeliveryTarget(bob.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)));
        await fixture.Store.DeliverAsync(TestMessages.Delivery("own", new DeliveryTarget(alice.Id, "Inbox", 0)));

        var deleted = await fixture.Store.DeleteAccountAsync("alice@example.org");

        Assert.Equal(alice, deleted.Value);
        Assert.Null(await fixture.Store.FindAccountAsync("alice@example.org"));
        Assert.Null(await fixture.Store.AuthenticateAsync("alice@example.org", "secret"));
        Assert.Empty(await fixture.Store.ListFoldersAsync(alice.Id));
        Assert.Equal(1, Database.Scalar(fixture, "SELECT COUNT(*) FROM contents"));
        Assert.Equal(1, Database.Scalar(fixture, "SELECT COUNT(*) FROM messages"));
        Assert.True((await fixture.Store.FetchMessageAsync(bob.Id, "Inbox", 1)).Ok);
        Assert.Equal(StoreError.AccountNotFound, (await fixture.Store.DeleteAccountAsync("alice@example.org")).Error);
    }

    [Fact]
    public async Task CreateAccountAsync_AfterDelete_GetsNewId()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var first = await fixture.CreateAccountAsync();
        await fixture.Store.DeleteAccountAsync(first.Address);

        var second = await fixture.CreateAccountAsync();

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void PasswordHasher_RoundTripsAndRejectsMalformed()
    {
        var hash = PasswordHasher.Hash("pw", 1_000);

        Assert.True(PasswordHasher.Verify("pw", hash));
        Assert.False(PasswordHasher.Verify("pw2", hash));
        Assert.True(PasswordHasher.TryParse(hash, out var iterations, out var salt, out var bytes));
        Assert.Equal((1_000, 16, 32), (iterations, salt.Length, bytes.Length));
        Assert.False(PasswordHasher.Verify("pw", "plain"));
        Assert.False(PasswordHasher.Verify("pw", "pbkdf2-sha1$1000$AAAA$AAAA"));
        Assert.False(PasswordHasher.Verify("pw", "pbkdf2-sha256$-5$AAAA$AAAA"));
        Assert.False(PasswordHasher.Verify("pw", "pbkdf2-sha256$1000$!!$AAAA"));
        Assert.True(PasswordHasher.NeedsRehash(hash, 2_000));
        Assert.False(PasswordHasher.NeedsRehash(hash, 1_000));
    }

    [Fact]
    public async Task CreateAccountAsync_ConcurrentSameAddress_ExactlyOneWins()
    {
        await using var fixture = await StoreFixture.CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(
            i => Task.Run(() => fixture.Store.CreateAccountAsync(i % 2 == 0 ? "race@example.org" : "RACE@example.org", "pw"))));

        Assert.Single(results, r => r.Ok);
        Assert.Equal(7, results.Count(r => r.Error == StoreError.AccountExists));
        Assert.Equal(5, Database.Scalar(fixture, "SELECT COUNT(*) FROM folders"));
    }
}
