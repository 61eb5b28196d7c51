namespace Butterfly.Storage.Tests;

public sealed class FolderTests
{
    [Fact]
    public async Task CreateFolderAsync_NewAndDuplicate()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();

        var created = await fixture.Store.CreateFolderAsync(alice.Id, "Projects/Butterfly");
        var duplicate = await fixture.Store.CreateFolderAsync(alice.Id, "Projects/Butterfly");

        Assert.Equal("Projects/Butterfly", created.Value!.Name);
        Assert.Equal(StoreError.FolderExists, duplicate.Error);
        // Parents are implied, not created.
        Assert.DoesNotContain(await fixture.Store.ListFoldersAsync(alice.Id), f => f.Name == "Projects");
    }

    [Fact]
    public async Task CreateFolderAsync_InboxInAnyCase_Exists()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();

        Assert.Equal(StoreError.FolderExists, (await fixture.Store.CreateFolderAsync(alice.Id, "INBOX")).Error);
        Assert.Equal("Inbox/Later", (await fixture.Store.CreateFolderAsync(alice.Id, "inbox/Later")).Value!.Name);
        // Other names are case-sensitive.
        Assert.True((await fixture.Store.CreateFolderAsync(alice.Id, "sent")).Ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/A")]
    [InlineData("A/")]
    [InlineData("A//B")]
    [InlineData(".")]
    [InlineData("A/..")]
    [InlineData("A/./B")]
    [InlineData("Tab\there")]
    [InlineData("Line\nbreak")]
    [InlineData("Nul\0")]
    public async Task CreateFolderAsync_InvalidName_FolderInvalidName(string name)
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();

        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.CreateFolderAsync(alice.Id, name)).Error);
    }

    [Fact]
    public async Task CreateFolderAsync_Lengths_AtAndOverLimits()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var segment255 = new string('a', 255);
        var total1024 = string.Join('/', Enumerable.Repeat(new string('b', 255), 3)) + "/" + new string('b', 254) + "/c"; // 1022 + 2

        Assert.True((await fixture.Store.CreateFolderAsync(alice.Id, segment255)).Ok);
        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.CreateFolderAsync(alice.Id, segment255 + "a")).Error);
        Assert.Equal(1024, total1024.Length);
        Assert.True((await fixture.Store.CreateFolderAsync(alice.Id, total1024)).Ok);
        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.CreateFolderAsync(alice.Id, total1024 + "c")).Error);
        Assert.True((await fixture.Store.CreateFolderAsync(alice.Id, "Ünïcödé/日本語/🦋")).Ok);
    }

    [Fact]
    public async Task CreateFolderAsync_UnknownAccount_AccountNotFound()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        Assert.Equal(StoreError.AccountNotFound, (await fixture.Store.CreateFolderAsync(999, "X")).Error);
    }

    [Fact]
    public async Task RenameFolderAsync_MovesChildrenAndMessages()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.CreateFolderAsync(alice.Id, "A");
        await fixture.Store.CreateFolderAsync(alice.Id, "A/B");
        await fixture.Store.CreateFolderAsync(alice.Id, "A/B/C");
        await fixture.Store.CreateFolderAsync(alice.Id, "AB");
        await fixture.Store.CreateFolderAsync(alice.Id, "A-B");
        await fixture.Store.AppendAsync(alice.Id, "A/B", TestMessages.Bytes("m"), TestMessages.Summary("m"), 0, TestMessages.Received);

        var renamed = await fixture.Store.RenameFolderAsync(alice.Id, "A", "Z/Y");

        Assert.True(renamed.Ok, renamed.Error.ToString());
        Assert.Equal("Z/Y", renamed.Value!.Name);
        var names = (await fixture.Store.ListFoldersAsync(alice.Id)).Select(f => f.Name).ToList();
        Assert.Contains("Z/Y", names);
        Assert.Contains("Z/Y/B", names);
        Assert.Contains("Z/Y/B/C", names);
        Assert.Contains("AB", names);
        Assert.Contains("A-B", names);
        Assert.DoesNotContain("A", names);
        Assert.DoesNotContain("A/B", names);
        var moved = await fixture.Store.FetchMessageAsync(alice.Id, "Z/Y/B", 1);
        Assert.Equal("Z/Y/B", moved.Value!.Item.Folder);
    }

    [Fact]
    public async Task RenameFolderAsync_Errors()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.CreateFolderAsync(alice.Id, "A");
        await fixture.Store.CreateFolderAsync(alice.Id, "B");

        Assert.Equal(StoreError.FolderProtected, (await fixture.Store.RenameFolderAsync(alice.Id, "INBOX", "Old")).Error);
        Assert.Equal(StoreError.FolderProtected, (await fixture.Store.RenameFolderAsync(alice.Id, "Trash", "Bin")).Error);
        Assert.Equal(StoreError.FolderExists, (await fixture.Store.RenameFolderAsync(alice.Id, "A", "B")).Error);
        Assert.Equal(StoreError.FolderExists, (await fixture.Store.RenameFolderAsync(alice.Id, "A", "inbox")).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.RenameFolderAsync(alice.Id, "Nope", "C")).Error);
        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.RenameFolderAsync(alice.Id, "A", "A/Sub")).Error);
        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.RenameFolderAsync(alice.Id, "A", "A//x")).Error);
    }

    [Fact]
    public async Task DeleteFolderAsync_RefusesNonEmptyUnlessRecursive()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.CreateFolderAsync(alice.Id, "A");
        await fixture.Store.CreateFolderAsync(alice.Id, "A/B");
        await fixture.Store.CreateFolderAsync(alice.Id, "C");
        await fixture.Store.AppendAsync(alice.Id, "C", TestMessages.Bytes("c"), TestMessages.Summary("c"), 0, TestMessages.Received);
        await fixture.Store.AppendAsync(alice.Id, "A/B", TestMessages.Bytes("ab"), TestMessages.Summary("ab"), 0, TestMessages.Received);

        Assert.Equal(StoreError.FolderNotEmpty, (await fixture.Store.DeleteFolderAsync(alice.Id, "A", recursive: false)).Error);
        Assert.Equal(StoreError.FolderNotEmpty, (await fixture.Store.DeleteFolderAsync(alice.Id, "C", recursive: false)).Error);

        var deleted = await fixture.Store.DeleteFolderAsync(alice.Id, "A", recursive: true);

        Assert.Equal(["A", "A/B"], deleted.Value!.Folders);
        Assert.Equal(1, deleted.Value.Messages);
        Assert.Equal(1, Database.Scalar(fixture, "SELECT COUNT(*) FROM contents"));
        Assert.DoesNotContain(await fixture.Store.ListFoldersAsync(alice.Id), f => f.Name.StartsWith('A'));
    }

    [Fact]
    public async Task DeleteFolderAsync_EmptyNotFoundProtected()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.CreateFolderAsync(alice.Id, "Empty");

        Assert.Equal(["Empty"], (await fixture.Store.DeleteFolderAsync(alice.Id, "Empty", recursive: false)).Value!.Folders);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.DeleteFolderAsync(alice.Id, "Empty", recursive: false)).Error);
        foreach (var name in new[] { "Inbox", "inbox", "Drafts", "Sent", "Trash", "Junk" })
        {
            Assert.Equal(StoreError.FolderProtected, (await fixture.Store.DeleteFolderAsync(alice.Id, name, recursive: true)).Error);
        }
    }

    [Fact]
    public async Task Folders_OfAnotherAccount_AreInvisible()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.CreateFolderAsync(alice.Id, "Private");

        Assert.DoesNotContain(await fixture.Store.ListFoldersAsync(bob.Id), f => f.Name == "Private");
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.DeleteFolderAsync(bob.Id, "Private", recursive: true)).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.RenameFolderAsync(bob.Id, "Private", "Mine")).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.ListMessagesAsync(bob.Id, "Private", null, 10)).Error);
    }
}
