using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests;

/// <summary>A user never reads, changes or learns about another user's mail (DESIGN.md, "Non-negotiables").</summary>
public sealed class AuthorizationTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Alice_CannotTouchBobsMessagesOrFolders_AndErrorsDoNotRevealExistence()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var aliceAddress = $"alice-{suffix}@example.org";
        var bobAddress = $"bob-{suffix}@example.org";
        await using var alice = await RawSession.RegisterAsync(daemon.EndPoint, aliceAddress);
        await using var bob = await RawSession.RegisterAsync(daemon.EndPoint, bobAddress);

        // Bob has a message (id 1 in his Inbox) and a private folder.
        var sent = await alice.RequestAsync(new { cmd = "send", to = new[] { bobAddress }, subject = "for bob", text = "private" });
        Assert.True(sent.Ok, sent.Head);
        Assert.True((await bob.RequestAsync(new { cmd = "folder.create", folder = "BobSecret" })).Ok);
        var bobList = await bob.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        var bobId = bobList.Json.GetProperty("messages")[0].GetProperty("id").GetInt64();

        // Alice's own Inbox is empty; a made-up id and Bob's real id must get the same answer.
        foreach (var id in new[] { bobId, 999_999L })
        {
            var fetch = await alice.RequestAsync(new { cmd = "message.fetch", folder = "Inbox", id });
            Assert.Equal(ErrorCode.MessageNotFound, fetch.Error);
            Assert.Empty(fetch.Body);
            Assert.Equal(ErrorCode.MessageNotFound, (await alice.RequestAsync(new { cmd = "message.move", folder = "Inbox", ids = new[] { id }, to = "Trash" })).Error);
            Assert.Equal(ErrorCode.MessageNotFound, (await alice.RequestAsync(new { cmd = "message.copy", folder = "Inbox", ids = new[] { id }, to = "Trash" })).Error);
            Assert.Equal(ErrorCode.MessageNotFound, (await alice.RequestAsync(new { cmd = "message.flags", folder = "Inbox", ids = new[] { id }, add = new[] { "seen" } })).Error);
            Assert.Equal(ErrorCode.MessageNotFound, (await alice.RequestAsync(new { cmd = "message.delete", folder = "Inbox", ids = new[] { id } })).Error);
        }

        // Bob's folder is invisible: same answer as a folder that does not exist anywhere.
        foreach (var folder in new[] { "BobSecret", "NoSuchFolder" })
        {
            var list = await alice.RequestAsync(new { cmd = "message.list", folder });
            Assert.Equal(ErrorCode.FolderNotFound, list.Error);
            Assert.Equal(ErrorCode.FolderNotFound, (await alice.RequestAsync(new { cmd = "folder.delete", folder })).Error);
            Assert.Equal(ErrorCode.FolderNotFound, (await alice.RequestAsync(new { cmd = "folder.rename", folder, to = "Mine" })).Error);
        }

        var aliceFolders = await alice.RequestAsync(new { cmd = "folder.list" });
        Assert.DoesNotContain("BobSecret", aliceFolders.Head, StringComparison.Ordinal);

        // Bob's message is untouched.
        var after = await bob.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        var message = after.Json.GetProperty("messages")[0];
        Assert.Equal(bobId, message.GetProperty("id").GetInt64());
        Assert.Equal(0, message.GetProperty("flags").GetArrayLength());
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_GiveTheSameError()
    {
        var user = $"dave-{Guid.NewGuid():N}"[..13] + "@example.org";
        await using (await RawSession.RegisterAsync(daemon.EndPoint, user, "right-password"))
        {
        }

        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        var wrong = await session.RequestAsync(new { cmd = "login", user, password = "wrong-password" });
        var unknown = await session.RequestAsync(new { cmd = "login", user = "ghost@example.org", password = "wrong-password" });
        var foreign = await session.RequestAsync(new { cmd = "login", user = "ghost@elsewhere.example", password = "wrong-password" });
        Assert.Equal(ErrorCode.AuthFailed, wrong.Error);
        Assert.Equal(wrong.Head, unknown.Head);
        Assert.Equal(wrong.Head, foreign.Head);

        var ok = await session.RequestAsync(new { cmd = "login", user = user.ToUpperInvariant(), password = "right-password" });
        Assert.True(ok.Ok, ok.Head);
        Assert.Equal(ErrorCode.AuthAlready, (await session.RequestAsync(new { cmd = "login", user, password = "right-password" })).Error);

        Assert.True((await session.RequestAsync(new { cmd = "logout" })).Ok);
        Assert.Equal(ErrorCode.AuthRequired, (await session.RequestAsync(new { cmd = "folder.list" })).Error);
    }

    [Fact]
    public async Task Register_ForeignDomainOrShortPasswordOrExisting_IsRefused()
    {
        await using var session = await RawSession.ConnectAsync(daemon.EndPoint);
        Assert.Equal(ErrorCode.AccountInvalidAddress, (await session.RequestAsync(new { cmd = "register", user = "eve@elsewhere.example", password = "long-enough" })).Error);
        Assert.Equal(ErrorCode.AccountWeakPassword, (await session.RequestAsync(new { cmd = "register", user = "eve@example.org", password = "short" })).Error);
        var user = $"frank-{Guid.NewGuid():N}"[..14] + "@example.net";
        Assert.True((await session.RequestAsync(new { cmd = "register", user, password = "long-enough" })).Ok);
        await using var other = await RawSession.ConnectAsync(daemon.EndPoint);
        Assert.Equal(ErrorCode.AccountExists, (await other.RequestAsync(new { cmd = "register", user, password = "long-enough" })).Error);
    }

    [Fact]
    public async Task Send_OverRecipientLimit_IsRefused()
    {
        await using var session = await RawSession.RegisterAsync(daemon.EndPoint, $"gina-{Guid.NewGuid():N}"[..13] + "@example.org");
        var six = Enumerable.Range(0, 6).Select(i => $"r{i}@example.org").ToArray();
        var reply = await session.RequestAsync(new { cmd = "send", to = six, text = "hi" });
        Assert.Equal(ErrorCode.RecipientTooMany, reply.Error);
        var split = await session.RequestAsync(new { cmd = "send", to = six[..3], cc = six[3..], text = "hi" });
        Assert.Equal(ErrorCode.RecipientTooMany, split.Error);
    }
}
