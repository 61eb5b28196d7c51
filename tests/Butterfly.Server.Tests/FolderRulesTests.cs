using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests;

/// <summary>
/// Folder names, parents, moves within a folder and error messages that name the thing, through the real
/// daemon (protocol/client.md, "Addresses, folders, message ids", "folder.create", "message.move").
/// </summary>
public sealed class FolderRulesTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task MessageMove_IntoTheSameFolder_KeepsIdsAndChangesNothing()
    {
        await using var alice = await RegisterAsync();
        var id = await StoreAsync(alice, "Inbox", "Stay");
        var before = await FolderAsync(alice, "Inbox");

        var moved = await alice.RequestAsync(new { cmd = "message.move", folder = "Inbox", ids = new[] { id }, to = "INBOX" });

        Assert.True(moved.Ok, moved.Head);
        Assert.Equal("Inbox", moved.Json.GetProperty("folder").GetString());
        Assert.Equal(id, moved.Json.GetProperty("ids").GetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetInt64());
        Assert.Equal(before, await FolderAsync(alice, "Inbox"));
        var list = await alice.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        Assert.Equal(id, list.Json.GetProperty("messages")[0].GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("", "A folder name cannot be empty.")]
    [InlineData("/Archive", "Folder name '/Archive' starts with '/'; write paths without it, like 'Archive/2026'.")]
    [InlineData("Archive/", "Folder name 'Archive/' ends with '/'.")]
    [InlineData("Archive//2026", "Folder name 'Archive//2026' has an empty segment ('//').")]
    [InlineData("Archive/../Inbox", "Folder name 'Archive/../Inbox' has a '..' segment; '.' and '..' are not allowed.")]
    [InlineData("Bell\u0007", "Folder names cannot contain control characters (U+0007 at position 5).")]
    public async Task FolderCreate_InvalidName_SaysWhichRule(string name, string message)
    {
        await using var alice = await RegisterAsync();

        var reply = await alice.RequestAsync(new { cmd = "folder.create", folder = name });

        Assert.Equal(ErrorCode.FolderInvalidName, reply.Error);
        Assert.Equal(message, reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task FolderCreate_TooLong_NamesTheLimit()
    {
        await using var alice = await RegisterAsync();

        var segment = await alice.RequestAsync(new { cmd = "folder.create", folder = new string('s', 256) });
        var whole = await alice.RequestAsync(new { cmd = "folder.create", folder = string.Join('/', Enumerable.Repeat(new string('w', 200), 6)) });

        Assert.Equal(ErrorCode.FolderInvalidName, segment.Error);
        Assert.EndsWith("is 256 characters long; the limit is 255.", segment.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(ErrorCode.FolderInvalidName, whole.Error);
        Assert.EndsWith("is 1205 characters long; the limit is 1024.", whole.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderCreate_SpacesAroundSegments_AreTrimmed()
    {
        await using var alice = await RegisterAsync();

        var created = await alice.RequestAsync(new { cmd = "folder.create", folder = "  Work / Projects  " });

        Assert.True(created.Ok, created.Head);
        Assert.Equal("Work/Projects", created.Json.GetProperty("folder").GetString());
        var folders = await FolderNamesAsync(alice);
        Assert.Contains("Work/Projects", folders);
        Assert.DoesNotContain(folders, f => f.StartsWith(' ') || f.EndsWith(' '));
    }

    [Fact]
    public async Task FolderCreate_DeepPath_ParentsExistShowAndList_RenameLikewise()
    {
        await using var alice = await RegisterAsync();

        Assert.True((await alice.RequestAsync(new { cmd = "folder.create", folder = "a/b/c" })).Ok);

        var folders = await FolderNamesAsync(alice);
        Assert.Contains("a", folders);
        Assert.Contains("a/b", folders);
        Assert.True((await alice.RequestAsync(new { cmd = "message.list", folder = "a" })).Ok);
        var refused = await alice.RequestAsync(new { cmd = "folder.delete", folder = "a" });
        Assert.Equal(ErrorCode.FolderNotEmpty, refused.Error);
        Assert.Equal("a holds 0 messages and 2 subfolders; delete it recursively to remove them.", refused.Json.GetProperty("message").GetString());

        var renamed = await alice.RequestAsync(new { cmd = "folder.rename", folder = "a/b", to = "x/y/z" });
        Assert.True(renamed.Ok, renamed.Head);
        folders = await FolderNamesAsync(alice);
        Assert.Equal(["a", "x", "x/y", "x/y/z", "x/y/z/c"], folders.Where(f => f is not ("Inbox" or "Drafts" or "Sent" or "Trash" or "Junk")));

        var deleted = await alice.RequestAsync(new { cmd = "folder.delete", folder = "x", recursive = true });
        Assert.Equal(["x", "x/y", "x/y/z", "x/y/z/c"], deleted.Json.GetProperty("deleted").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Errors_NameTheFolderAndTheMessage_CodesStay()
    {
        await using var alice = await RegisterAsync();
        await StoreAsync(alice, "Inbox", "One");

        var noFolder = await alice.RequestAsync(new { cmd = "message.list", folder = "Archive/2025" });
        var noMessage = await alice.RequestAsync(new { cmd = "message.fetch", folder = "inbox", id = 424242 });
        var noTarget = await alice.RequestAsync(new { cmd = "message.move", folder = "Inbox", ids = new[] { 1 }, to = "Archive/2025" });
        var exists = await alice.RequestAsync(new { cmd = "folder.create", folder = "Sent" });
        var protectedFolder = await alice.RequestAsync(new { cmd = "folder.delete", folder = "Trash" });

        Assert.Equal((ErrorCode.FolderNotFound, "No such folder: Archive/2025"), (noFolder.Error, Message(noFolder)));
        Assert.Equal((ErrorCode.MessageNotFound, "No such message: 424242 in Inbox"), (noMessage.Error, Message(noMessage)));
        Assert.Equal((ErrorCode.FolderNotFound, "No such folder: Archive/2025"), (noTarget.Error, Message(noTarget)));
        Assert.Equal((ErrorCode.FolderExists, "A folder named Sent exists already."), (exists.Error, Message(exists)));
        Assert.Equal(
            (ErrorCode.FolderProtected, "Trash is a default folder; default folders cannot be renamed or deleted."),
            (protectedFolder.Error, Message(protectedFolder)));
    }

    private static string? Message(RawFrame reply) => reply.Json.GetProperty("message").GetString();

    private async Task<RawSession> RegisterAsync() =>
        await RawSession.RegisterAsync(daemon.EndPoint, $"folders-{Guid.NewGuid():N}"[..20] + "@example.org");

    private static async Task<long> StoreAsync(RawSession session, string folder, string subject)
    {
        var reply = await session.RequestAsync(new { cmd = "message.store", folder }, TestMessages.Simple("a@example.org", "b@example.org", subject));
        Assert.True(reply.Ok, reply.Head);
        return reply.Json.GetProperty("id").GetInt64();
    }

    private static async Task<string> FolderAsync(RawSession session, string name)
    {
        var list = await session.RequestAsync(new { cmd = "folder.list" });
        return list.Json.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).GetRawText();
    }

    private static async Task<List<string>> FolderNamesAsync(RawSession session)
    {
        var list = await session.RequestAsync(new { cmd = "folder.list" });
        return list.Json.GetProperty("folders").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
    }
}
