using Butterfly.TestUtilities;

namespace Butterfly.Storage.Tests;

/// <summary>
/// The account store's behaviour, the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class AccountStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task CreateAccountAsync_StoresLowerCaseAddress()
    {
        await using var fixture = await OpenAsync();
        var result = await fixture.Store.Accounts.CreateAsync("Alice@Example.ORG", "secret");

        Assert.True(result.Ok);
        Assert.Equal("alice@example.org", result.Value!.Address);
        Assert.True(result.Value.Id > 0);
        Assert.Equal(result.Value, await fixture.Store.Accounts.FindAsync("ALICE@example.org"));
    }

    [Fact]
    public async Task CreateAccountAsync_DuplicateInAnyCase_AccountExists()
    {
        await using var fixture = await OpenAsync();
        await fixture.CreateAccountAsync("alice@example.org");

        var duplicate = await fixture.Store.Accounts.CreateAsync("ALICE@example.org", "other");

        Assert.Equal(StoreError.AccountExists, duplicate.Error);
        Assert.False(duplicate.Ok);
        Assert.Single(await fixture.Store.Accounts.ListAsync());
    }

    [Fact]
    public async Task CreateAccountAsync_GivesDefaultFolders()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        var folders = await fixture.Store.Folders.ListAsync(alice.Id);

        Assert.Equal(["Drafts", "Inbox", "Junk", "Sent", "Trash"], folders.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(folders, f => Assert.Equal((0L, 0L, 1L), (f.Messages, f.Unseen, f.NextId)));
    }

    [Fact]
    public async Task CreateAccountAsync_InvalidAddress_AccountInvalidAddress()
    {
        await using var fixture = await OpenAsync();

        Assert.Equal(StoreError.AccountInvalidAddress, (await fixture.Store.Accounts.CreateAsync("", "secret")).Error);
        Assert.Equal(StoreError.AccountInvalidAddress, (await fixture.Store.Accounts.CreateAsync("a b@example.org", "secret")).Error);
        Assert.Empty(await fixture.Store.Accounts.ListAsync());
    }

    [Fact]
    public async Task AuthenticateAsync_RightWrongUnknown()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "correct horse");
        var accounts = fixture.Store.Accounts;

        Assert.Equal(alice, (await accounts.AuthenticateAsync("Alice@example.org", "correct horse")).Value);
        Assert.Equal(StoreError.AuthenticationFailed, (await accounts.AuthenticateAsync("alice@example.org", "Correct horse")).Error);
        Assert.Equal(StoreError.AuthenticationFailed, (await accounts.AuthenticateAsync("alice@example.org", "")).Error);
        Assert.Equal(StoreError.AuthenticationFailed, (await accounts.AuthenticateAsync("nobody@example.org", "correct horse")).Error);
        Assert.Equal(StoreError.AuthenticationFailed, (await accounts.AuthenticateAsync("", "correct horse")).Error);
    }

    [Fact]
    public async Task CreateAccountAsync_StoresEnhancedBcryptHash()
    {
        await using var fixture = await OpenAsync();
        await fixture.CreateAccountAsync("alice@example.org", "secret");

        var hash = await fixture.TextAsync("SELECT password_hash FROM accounts")!;

        Assert.Matches(@"^\$2[abxy]\$04\$[./A-Za-z0-9]{53}$", hash);
        Assert.True(BCrypt.Net.BCrypt.EnhancedVerify("secret", hash, BCrypt.Net.HashType.SHA384));

        // Enhanced mode: the password is pre-hashed, so plain bcrypt does not accept it.
        Assert.False(BCrypt.Net.BCrypt.Verify("secret", hash));
    }

    [Fact]
    public async Task AuthenticateAsync_LongPasswords_CountWhole()
    {
        await using var fixture = await OpenAsync();
        var password = new string('a', 100) + "1";
        await fixture.CreateAccountAsync("alice@example.org", password);

        // Plain bcrypt reads only the first 72 bytes; the SHA-384 pre-hash makes the 101st count.
        Assert.True((await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", password)).Ok);
        Assert.False((await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", new string('a', 100) + "2")).Ok);
    }

    [Fact]
    public async Task AuthenticateAsync_AfterCostRaised_UpgradesHash()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "pw");
        await fixture.ReopenAsync(passwordCost: 5);

        Assert.Equal(StoreError.AuthenticationFailed, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "wrong")).Error);
        Assert.Matches(@"^\$2.\$04\$", await fixture.TextAsync("SELECT password_hash FROM accounts"));
        Assert.Equal(alice, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "pw")).Value);

        Assert.Matches(@"^\$2.\$05\$", await fixture.TextAsync("SELECT password_hash FROM accounts"));
        Assert.Equal(alice, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "pw")).Value);
    }

    [Fact]
    public async Task AuthenticateAsync_LegacyPbkdf2Hash_VerifiesThenBecomesBcrypt()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "placeholder");
        var legacy = Pbkdf2("old password", 1_000);
        await fixture.ExecuteAsync($"UPDATE accounts SET password_hash = '{legacy}'");

        Assert.Equal(StoreError.AuthenticationFailed, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "placeholder")).Error);
        Assert.Equal(legacy, await fixture.TextAsync("SELECT password_hash FROM accounts"));

        Assert.Equal(alice, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "old password")).Value);

        var upgraded = await fixture.TextAsync("SELECT password_hash FROM accounts")!;
        Assert.StartsWith("$2", upgraded, StringComparison.Ordinal);
        Assert.True(BCrypt.Net.BCrypt.EnhancedVerify("old password", upgraded, BCrypt.Net.HashType.SHA384));
        Assert.Equal(alice, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "old password")).Value);
    }

    [Fact]
    public async Task SetPasswordAsync_ChangesPassword()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org", "old");

        var result = await fixture.Store.Accounts.SetPasswordAsync("ALICE@example.org", "new");

        Assert.Equal(alice, result.Value);
        Assert.Equal(StoreError.AuthenticationFailed, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "old")).Error);
        Assert.Equal(alice, (await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "new")).Value);
        Assert.Equal(StoreError.AccountNotFound, (await fixture.Store.Accounts.SetPasswordAsync("bob@example.org", "x")).Error);
    }

    [Fact]
    public async Task DeleteAccountAsync_RemovesFoldersMessagesAndOwnContentsOnly()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.DeliverAsync(TestMessages.Delivery(
            "shared", new DeliveryTarget(bob.Id, "Inbox", 0), new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)));
        await fixture.Store.DeliverAsync(TestMessages.Delivery("own", new DeliveryTarget(alice.Id, "Inbox", 0)));

        var deleted = await fixture.Store.Accounts.DeleteAsync("alice@example.org");

        Assert.Equal(alice, deleted.Value);
        Assert.Null(await fixture.Store.Accounts.FindAsync("alice@example.org"));
        Assert.False((await fixture.Store.Accounts.AuthenticateAsync("alice@example.org", "secret")).Ok);
        Assert.Empty(await fixture.Store.Folders.ListAsync(alice.Id));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM messages"));
        Assert.True((await fixture.Store.Messages.FetchAsync(bob.Id, "Inbox", 1)).Ok);
        Assert.Equal(StoreError.AccountNotFound, (await fixture.Store.Accounts.DeleteAsync("alice@example.org")).Error);
    }

    [Fact]
    public async Task CreateAccountAsync_AfterDelete_GetsNewId()
    {
        await using var fixture = await OpenAsync();
        var first = await fixture.CreateAccountAsync();
        await fixture.Store.Accounts.DeleteAsync(first.Address);

        var second = await fixture.CreateAccountAsync();

        Assert.NotEqual(first.Id, second.Id);
    }

    /// <summary>A hash as the build before bcrypt wrote it.</summary>
    internal static string Pbkdf2(string password, int iterations)
    {
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var hash = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            System.Text.Encoding.UTF8.GetBytes(password), salt, iterations, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    [Fact]
    public async Task CreateAccountAsync_ConcurrentSameAddress_ExactlyOneWins()
    {
        await using var fixture = await OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(
            i => Task.Run(() => fixture.Store.Accounts.CreateAsync(i % 2 == 0 ? "race@example.org" : "RACE@example.org", "pw"))));

        Assert.Single(results, r => r.Ok);
        Assert.Equal(7, results.Count(r => r.Error == StoreError.AccountExists));
        Assert.Equal(5, await fixture.ScalarAsync("SELECT COUNT(*) FROM folders"));
    }
}
