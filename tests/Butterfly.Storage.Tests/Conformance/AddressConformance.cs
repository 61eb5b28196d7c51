namespace Butterfly.Storage.Tests;

/// <summary>
/// Aliases, catch-alls and distribution lists (one owner per address, deletion with the account), the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class AddressConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task AliasAddAsync_SeveralAccounts_ResolvesListsAndDeletes()
    {
        await using var fixture = await OpenAsync();
        await fixture.CreateAccountAsync("alice@example.org");
        await fixture.CreateAccountAsync("bob@example.org");
        var aliases = fixture.Store.Aliases;

        var added = await aliases.AddAsync("Team@Example.org", ["alice@example.org", "BOB@example.org"]);
        Assert.Equal("team@example.org", added.Value!.Address);
        Assert.Equal(["alice@example.org", "bob@example.org"], added.Value.Accounts);
        Assert.Equal(["alice@example.org", "bob@example.org"], (await aliases.ResolveAsync("team@example.org")).Select(a => a.Address));
        Assert.True((await aliases.AddAsync("@example.org", ["alice@example.org"])).Ok);
        Assert.Equal(["@example.org", "team@example.org"], (await aliases.ListAsync()).Select(a => a.Address));
        Assert.Equal(StoreError.AccountNotFound, (await aliases.AddAsync("x@example.org", ["nobody@example.org"])).Error);
        Assert.Empty(await aliases.ResolveAsync("x@example.org"));

        Assert.True((await aliases.DeleteAsync("team@example.org")).Ok);
        Assert.Equal(StoreError.AliasNotFound, (await aliases.DeleteAsync("team@example.org")).Error);
        Assert.Empty(await aliases.ResolveAsync("team@example.org"));
    }

    [Fact]
    public async Task AddressesAreUnique_AccountAliasList_AddressTaken()
    {
        await using var fixture = await OpenAsync();
        await fixture.CreateAccountAsync("alice@example.org");
        Assert.True((await fixture.Store.Aliases.AddAsync("info@example.org", ["alice@example.org"])).Ok);
        Assert.True((await fixture.Store.Lists.CreateAsync("team@example.org", "alice@example.org", ListPolicy.Members)).Ok);

        Assert.Equal(StoreError.AddressTaken, (await fixture.Store.Aliases.AddAsync("alice@example.org", ["alice@example.org"])).Error);
        Assert.Equal(StoreError.AddressTaken, (await fixture.Store.Aliases.AddAsync("team@example.org", ["alice@example.org"])).Error);
        Assert.Equal(StoreError.AddressTaken, (await fixture.Store.Lists.CreateAsync("info@example.org", "alice@example.org", ListPolicy.Anyone)).Error);
        Assert.Equal(StoreError.AddressTaken, (await fixture.Store.Accounts.CreateAsync("team@example.org", "secret")).Error);
        Assert.Null(await fixture.Store.Accounts.FindAsync("team@example.org"));
    }

    [Fact]
    public async Task ListMembers_OwnerOnlyChanges_AndOwnerDeletionRemovesEverything()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var lists = fixture.Store.Lists;
        Assert.True((await lists.CreateAsync("team@example.org", "alice@example.org", ListPolicy.Members)).Ok);

        var added = await lists.AddMemberAsync("team@example.org", "Carol@Remote.example", alice.Id);
        Assert.Equal(["carol@remote.example"], added.Value!.Members);
        Assert.Equal(StoreError.ListMemberExists, (await lists.AddMemberAsync("team@example.org", "carol@remote.example")).Error);
        Assert.Equal(StoreError.ListNotFound, (await lists.AddMemberAsync("team@example.org", "bob@example.org", bob.Id)).Error);
        Assert.True((await lists.AddMemberAsync("team@example.org", "bob@example.org")).Ok);
        Assert.Equal(StoreError.ListMemberNotFound, (await lists.RemoveMemberAsync("team@example.org", "dave@example.org", alice.Id)).Error);
        Assert.Equal(ListPolicy.Anyone, (await lists.SetPolicyAsync("team@example.org", ListPolicy.Anyone, alice.Id)).Value!.Policy);

        var list = (await lists.FindAsync("TEAM@example.org"))!;
        Assert.Equal(("alice@example.org", ListPolicy.Anyone, 2), (list.Owner, list.Policy, list.Members.Count));
        Assert.Equal(["alice@example.org", "team@example.org"], await fixture.Store.Accounts.SendAsAsync(alice.Id));

        // Deleting the owner takes its lists along; deleting a member takes its memberships.
        Assert.True((await fixture.Store.Lists.CreateAsync("bobs@example.org", "bob@example.org", ListPolicy.Owner)).Ok);
        await lists.AddMemberAsync("bobs@example.org", "alice@example.org");
        Assert.True((await fixture.Store.Accounts.DeleteAsync("alice@example.org")).Ok);
        Assert.Null(await lists.FindAsync("team@example.org"));
        Assert.Empty((await lists.FindAsync("bobs@example.org"))!.Members);
    }

    [Fact]
    public async Task SendAsAsync_OwnAliasesOnly_NotSharedNorCatchAll()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.Aliases.AddAsync("ali@example.org", ["alice@example.org"]);
        await fixture.Store.Aliases.AddAsync("team@example.org", ["alice@example.org", "bob@example.org"]);
        await fixture.Store.Aliases.AddAsync("@example.org", ["alice@example.org"]);

        Assert.Equal(["ali@example.org", "alice@example.org"], await fixture.Store.Accounts.SendAsAsync(alice.Id));
        Assert.Equal(["@example.org", "ali@example.org", "team@example.org"], await fixture.Store.Aliases.OfAccountAsync(alice.Id));
        Assert.Empty(await fixture.Store.Accounts.SendAsAsync(424242));
    }
}
