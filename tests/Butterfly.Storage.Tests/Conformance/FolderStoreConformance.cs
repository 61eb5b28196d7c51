namespace Butterfly.Storage.Tests;

/// <summary>
/// The folder store's behaviour, the same on every database (src/Butterfly.Storage/README.md, "Contracts").
/// Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class FolderStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task CreateFolderAsync_NewAndDuplicate()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        var created = await fixture.Store.Folders.CreateAsync(alice.Id, "Projects/Butterfly");
        var duplicate = await fixture.Store.Folders.CreateAsync(alice.Id, "Projects/Butterfly");

        Assert.Equal("Projects/Butterfly", created.Value!.Name);
        Assert.Equal(StoreError.FolderExists, duplicate.Error);
        Assert.Equal("A folder named Projects/Butterfly exists already.", duplicate.Detail);
    }

    [Fact]
    public async Task CreateFolderAsync_DeepPath_CreatesMissingParentsThatShowAndCount()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "a");

        var created = await fixture.Store.Folders.CreateAsync(alice.Id, "a/b/c");

        Assert.True(created.Ok, created.Detail);
        var names = (await fixture.Store.Folders.ListAsync(alice.Id)).Select(f => f.Name).ToList();
        Assert.Contains("a", names);
        Assert.Contains("a/b", names);
        Assert.Contains("a/b/c", names);
        Assert.True((await fixture.Store.Messages.ListAsync(alice.Id, "a/b", null, 10)).Ok);
        var refused = await fixture.Store.Folders.DeleteAsync(alice.Id, "a", recursive: false);
        Assert.Equal(StoreError.FolderNotEmpty, refused.Error);
        Assert.Equal("a holds 0 messages and 2 subfolders; delete it recursively to remove them.", refused.Detail);
        Assert.Equal(StoreError.FolderExists, (await fixture.Store.Folders.CreateAsync(alice.Id, "a/b")).Error);
    }

    [Theory]
    [InlineData("  Work  ", "Work")]
    [InlineData(" Work / Projects ", "Work/Projects")]
    [InlineData("\tinbox /Later", "Inbox/Later")]
    [InlineData("My Folder", "My Folder")]
    public async Task CreateFolderAsync_SpacesAroundSegments_AreTrimmed(string name, string canonical)
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        var created = await fixture.Store.Folders.CreateAsync(alice.Id, name);

        Assert.Equal(canonical, created.Value!.Name);
        Assert.Contains(await fixture.Store.Folders.ListAsync(alice.Id), f => f.Name == canonical);
        Assert.True((await fixture.Store.Messages.ListAsync(alice.Id, $" {canonical} ", null, 1)).Ok);
    }

    [Fact]
    public async Task CreateFolderAsync_InboxInAnyCase_Exists()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        Assert.Equal(StoreError.FolderExists, (await fixture.Store.Folders.CreateAsync(alice.Id, "INBOX")).Error);
        Assert.Equal("Inbox/Later", (await fixture.Store.Folders.CreateAsync(alice.Id, "inbox/Later")).Value!.Name);
        // Other names are case-sensitive.
        Assert.True((await fixture.Store.Folders.CreateAsync(alice.Id, "sent")).Ok);
    }

    [Theory]
    [InlineData("", "A folder name cannot be empty.")]
    [InlineData("   ", "A folder name cannot be empty.")]
    [InlineData("/", "Folder name '/' starts with '/'; write paths without it, like 'Archive/2026'.")]
    [InlineData("/A", "Folder name '/A' starts with '/'; write paths without it, like 'Archive/2026'.")]
    [InlineData("A/", "Folder name 'A/' ends with '/'.")]
    [InlineData("A//B", "Folder name 'A//B' has an empty segment ('//').")]
    [InlineData("A/ /B", "Folder name 'A/ /B' has an empty segment ('//').")]
    [InlineData(".", "Folder name '.' has a '.' segment; '.' and '..' are not allowed.")]
    [InlineData("A/..", "Folder name 'A/..' has a '..' segment; '.' and '..' are not allowed.")]
    [InlineData("A/./B", "Folder name 'A/./B' has a '.' segment; '.' and '..' are not allowed.")]
    [InlineData("Tab\there", "Folder names cannot contain control characters (U+0009 at position 4).")]
    [InlineData("Line\nbreak", "Folder names cannot contain control characters (U+000A at position 5).")]
    [InlineData("Nul\0", "Folder names cannot contain control characters (U+0000 at position 4).")]
    public async Task CreateFolderAsync_InvalidName_SaysWhichRule(string name, string detail)
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();

        var result = await fixture.Store.Folders.CreateAsync(alice.Id, name);

        Assert.Equal(StoreError.FolderInvalidName, result.Error);
        Assert.Equal(detail, result.Detail);
    }

    [Fact]
    public async Task CreateFolderAsync_Lengths_AtAndOverLimits()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        var segment255 = new string('a', 255);
        var total1024 = string.Join('/', Enumerable.Repeat(new string('b', 255), 3)) + "/" + new string('b', 254) + "/c"; // 1022 + 2

        Assert.True((await fixture.Store.Folders.CreateAsync(alice.Id, segment255)).Ok);
        var segmentTooLong = await fixture.Store.Folders.CreateAsync(alice.Id, segment255 + "a");
        Assert.Equal(StoreError.FolderInvalidName, segmentTooLong.Error);
        Assert.Equal($"Folder name segment '{new string('a', 80)}…' is 256 characters long; the limit is 255.", segmentTooLong.Detail);
        Assert.Equal(1024, total1024.Length);
        Assert.True((await fixture.Store.Folders.CreateAsync(alice.Id, total1024)).Ok);
        var tooLong = await fixture.Store.Folders.CreateAsync(alice.Id, total1024 + "c");
        Assert.Equal(StoreError.FolderInvalidName, tooLong.Error);
        Assert.EndsWith("is 1025 characters long; the limit is 1024.", tooLong.Detail, StringComparison.Ordinal);
        Assert.True((await fixture.Store.Folders.CreateAsync(alice.Id, "Ünïcödé/日本語/🦋")).Ok);
    }

    [Fact]
    public async Task CreateFolderAsync_UnknownAccount_AccountNotFound()
    {
        await using var fixture = await OpenAsync();
        Assert.Equal(StoreError.AccountNotFound, (await fixture.Store.Folders.CreateAsync(999, "X")).Error);
    }

    [Fact]
    public async Task RenameFolderAsync_MovesChildrenAndMessages()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "A");
        await fixture.Store.Folders.CreateAsync(alice.Id, "A/B");
        await fixture.Store.Folders.CreateAsync(alice.Id, "A/B/C");
        await fixture.Store.Folders.CreateAsync(alice.Id, "AB");
        await fixture.Store.Folders.CreateAsync(alice.Id, "A-B");
        await fixture.Store.Messages.AppendAsync(alice.Id, "A/B", TestMessages.Bytes("m"), TestMessages.Summary("m"), 0, TestMessages.Received);

        var renamed = await fixture.Store.Folders.RenameAsync(alice.Id, "A", "Z/Y");

        Assert.True(renamed.Ok, renamed.Error.ToString());
        Assert.Equal("Z/Y", renamed.Value!.Name);
        var names = (await fixture.Store.Folders.ListAsync(alice.Id)).Select(f => f.Name).ToList();
        Assert.Contains("Z/Y", names);
        Assert.Contains("Z/Y/B", names);
        Assert.Contains("Z/Y/B/C", names);
        Assert.Contains("AB", names);
        Assert.Contains("A-B", names);
        Assert.DoesNotContain("A", names);
        Assert.DoesNotContain("A/B", names);
        var moved = await fixture.Store.Messages.FetchAsync(alice.Id, "Z/Y/B", 1);
        Assert.Equal("Z/Y/B", moved.Value!.Item.Folder);
    }

    [Fact]
    public async Task RenameFolderAsync_Errors()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "A");
        await fixture.Store.Folders.CreateAsync(alice.Id, "B");

        Assert.Equal(StoreError.FolderProtected, (await fixture.Store.Folders.RenameAsync(alice.Id, "INBOX", "Old")).Error);
        Assert.Equal(StoreError.FolderProtected, (await fixture.Store.Folders.RenameAsync(alice.Id, "Trash", "Bin")).Error);
        Assert.Equal(StoreError.FolderExists, (await fixture.Store.Folders.RenameAsync(alice.Id, "A", "B")).Error);
        Assert.Equal(StoreError.FolderExists, (await fixture.Store.Folders.RenameAsync(alice.Id, "A", "inbox")).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Folders.RenameAsync(alice.Id, "Nope", "C")).Error);
        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.Folders.RenameAsync(alice.Id, "A", "A/Sub")).Error);
        Assert.Equal(StoreError.FolderInvalidName, (await fixture.Store.Folders.RenameAsync(alice.Id, "A", "A//x")).Error);
        Assert.Equal("No such folder: Nope", (await fixture.Store.Folders.RenameAsync(alice.Id, "Nope", "C")).Detail);
        Assert.Equal("A cannot move into itself (A/Sub).", (await fixture.Store.Folders.RenameAsync(alice.Id, "A", "A/Sub")).Detail);
        Assert.Equal("Inbox is a default folder; default folders cannot be renamed or deleted.", (await fixture.Store.Folders.RenameAsync(alice.Id, "inbox", "x")).Detail);
    }

    [Fact]
    public async Task RenameFolderAsync_ToDeeperPath_CreatesMissingParents()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "Old/2026");

        var renamed = await fixture.Store.Folders.RenameAsync(alice.Id, "Old/2026", " Archive / Years/2026 ");

        Assert.Equal("Archive/Years/2026", renamed.Value!.Name);
        var names = (await fixture.Store.Folders.ListAsync(alice.Id)).Select(f => f.Name).ToList();
        Assert.Contains("Archive", names);
        Assert.Contains("Archive/Years", names);
        Assert.Contains("Old", names);
        Assert.DoesNotContain("Old/2026", names);
    }

    [Fact]
    public async Task DeleteFolderAsync_RefusesNonEmptyUnlessRecursive()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "A");
        await fixture.Store.Folders.CreateAsync(alice.Id, "A/B");
        await fixture.Store.Folders.CreateAsync(alice.Id, "C");
        await fixture.Store.Messages.AppendAsync(alice.Id, "C", TestMessages.Bytes("c"), TestMessages.Summary("c"), 0, TestMessages.Received);
        await fixture.Store.Messages.AppendAsync(alice.Id, "A/B", TestMessages.Bytes("ab"), TestMessages.Summary("ab"), 0, TestMessages.Received);

        Assert.Equal(StoreError.FolderNotEmpty, (await fixture.Store.Folders.DeleteAsync(alice.Id, "A", recursive: false)).Error);
        Assert.Equal(StoreError.FolderNotEmpty, (await fixture.Store.Folders.DeleteAsync(alice.Id, "C", recursive: false)).Error);

        var deleted = await fixture.Store.Folders.DeleteAsync(alice.Id, "A", recursive: true);

        Assert.Equal(["A", "A/B"], deleted.Value!.Folders);
        Assert.Equal(1, deleted.Value.Messages);
        Assert.Equal(1, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.DoesNotContain(await fixture.Store.Folders.ListAsync(alice.Id), f => f.Name.StartsWith('A'));
    }

    [Fact]
    public async Task DeleteFolderAsync_EmptyNotFoundProtected()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync();
        await fixture.Store.Folders.CreateAsync(alice.Id, "Empty");

        Assert.Equal(["Empty"], (await fixture.Store.Folders.DeleteAsync(alice.Id, "Empty", recursive: false)).Value!.Folders);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Folders.DeleteAsync(alice.Id, "Empty", recursive: false)).Error);
        foreach (var name in new[] { "Inbox", "inbox", "Drafts", "Sent", "Trash", "Junk" })
        {
            Assert.Equal(StoreError.FolderProtected, (await fixture.Store.Folders.DeleteAsync(alice.Id, name, recursive: true)).Error);
        }
    }

    [Fact]
    public async Task Folders_OfAnotherAccount_AreInvisible()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await fixture.Store.Folders.CreateAsync(alice.Id, "Private");

        Assert.DoesNotContain(await fixture.Store.Folders.ListAsync(bob.Id), f => f.Name == "Private");
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Folders.DeleteAsync(bob.Id, "Private", recursive: true)).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Folders.RenameAsync(bob.Id, "Private", "Mine")).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Messages.ListAsync(bob.Id, "Private", null, 10)).Error);
    }
}
