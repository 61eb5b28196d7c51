using System.Security.Cryptography;

namespace Butterfly.Storage.Tests;

/// <summary>
/// Web session tokens: stored by hash, good until they expire, per account, survive a reopen, gone with the password or
/// the account; the same on every database. Each derived class runs every test on one database.
/// </summary>
public abstract class SessionTokenConformance
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task FindAsync_BeforeAndAfterExpiry_AccountThenNothing()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var hash = Hash(1);
        await fixture.Store.SessionTokens.CreateAsync(alice.Id, hash, Now, Now.AddHours(12));

        Assert.Equal(alice.Id, (await fixture.Store.SessionTokens.FindAsync(hash, Now.AddHours(11.99)))!.Id);
        Assert.Null(await fixture.Store.SessionTokens.FindAsync(hash, Now.AddHours(12)));
        Assert.Null(await fixture.Store.SessionTokens.FindAsync(Hash(2), Now));

        // Only the hash is in the database: nothing there is the token itself.
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM session_tokens WHERE length(hash) = 32"));
    }

    [Fact]
    public async Task FindAsync_AfterReopen_StillThere()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        await fixture.Store.SessionTokens.CreateAsync(alice.Id, Hash(1), Now, Now.AddHours(1));
        await fixture.ReopenAsync();
        Assert.NotNull(await fixture.Store.SessionTokens.FindAsync(Hash(1), Now));
    }

    [Fact]
    public async Task RevokeAsync_OtherAccountsToken_LeftAlone()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.SessionTokens.CreateAsync(alice.Id, Hash(1), Now, Now.AddHours(1));
        await fixture.Store.SessionTokens.CreateAsync(bob.Id, Hash(2), Now, Now.AddHours(1));

        Assert.Equal(0, await fixture.Store.SessionTokens.RevokeAsync(alice.Id, [Hash(2)]));
        Assert.Equal(1, await fixture.Store.SessionTokens.RevokeAsync(alice.Id, [Hash(1), Hash(3)]));
        Assert.Null(await fixture.Store.SessionTokens.FindAsync(Hash(1), Now));
        Assert.NotNull(await fixture.Store.SessionTokens.FindAsync(Hash(2), Now));
        Assert.Equal(1, await fixture.Store.SessionTokens.RevokeAllAsync(bob.Id));
    }

    [Fact]
    public async Task SetPasswordAsync_NewPassword_RevokesTheAccountsTokens()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.SessionTokens.CreateAsync(alice.Id, Hash(1), Now, Now.AddHours(1));
        await fixture.Store.SessionTokens.CreateAsync(bob.Id, Hash(2), Now, Now.AddHours(1));

        Assert.True((await fixture.Store.Accounts.SetPasswordAsync("alice@example.org", "another secret")).Ok);

        Assert.Null(await fixture.Store.SessionTokens.FindAsync(Hash(1), Now));
        Assert.NotNull(await fixture.Store.SessionTokens.FindAsync(Hash(2), Now));
    }

    [Fact]
    public async Task DeleteAsync_Account_RemovesItsTokens()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        await fixture.Store.SessionTokens.CreateAsync(alice.Id, Hash(1), Now, Now.AddHours(1));
        Assert.True((await fixture.Store.Accounts.DeleteAsync("alice@example.org")).Ok);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM session_tokens"));
    }

    [Fact]
    public async Task CreateAsync_PastTheCap_DropsTheOldestAndExpired()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        await fixture.Store.SessionTokens.CreateAsync(alice.Id, Hash(0), Now.AddHours(-2), Now.AddHours(-1));
        for (var i = 1; i <= ISessionTokenStore.MaxPerAccount + 1; i++)
        {
            await fixture.Store.SessionTokens.CreateAsync(alice.Id, Hash(i), Now.AddSeconds(i), Now.AddHours(1));
        }

        Assert.Equal(ISessionTokenStore.MaxPerAccount, await fixture.ScalarAsync("SELECT COUNT(*) FROM session_tokens"));
        Assert.Null(await fixture.Store.SessionTokens.FindAsync(Hash(1), Now));
        Assert.NotNull(await fixture.Store.SessionTokens.FindAsync(Hash(ISessionTokenStore.MaxPerAccount + 1), Now));
    }

    private static byte[] Hash(int n) => SHA256.HashData(BitConverter.GetBytes(n));
}
