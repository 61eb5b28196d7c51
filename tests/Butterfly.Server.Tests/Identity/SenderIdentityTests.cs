using System.Text;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests.Identity;

/// <summary>
/// Sender identity on the wire (protocol/client.md, "Sender identity"): a logged-in client sends
/// only as addresses its account owns; blind fields are stripped; control characters in subject and
/// address fields are refused; domains compare as lower-case A-labels without a trailing dot.
/// </summary>
public sealed class SenderIdentityTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Theory]
    [InlineData("From", "Bob <bob-{0}@example.org>")]
    [InlineData("Sender", "bob-{0}@example.org")]
    [InlineData("Return-Path", "<bob-{0}@example.org>")]
    public async Task Send_RawNamingAnotherAccount_FromNotOwned(string field, string value)
    {
        var id = field.ToLowerInvariant();
        await using var mallory = await RawSession.RegisterAsync(daemon.EndPoint, $"mallory-{id}@example.org");
        await using var bob = await RawSession.RegisterAsync(daemon.EndPoint, $"bob-{id}@example.org");
        var header = string.Format(System.Globalization.CultureInfo.InvariantCulture, value, id);
        var raw = field == "From"
            ? TestMessages.Simple(header, $"bob-{id}@example.org", "spoofed")
            : TestMessages.Simple($"mallory-{id}@example.org", $"bob-{id}@example.org", "spoofed", extraHeaders: $"{field}: {header}\r\n");

        var reply = await mallory.RequestAsync(new { cmd = "send", rcpt = new[] { $"bob-{id}@example.org" } }, raw);

        Assert.False(reply.Ok, reply.Head);
        Assert.Equal("message.from-not-owned", reply.Code);
        Assert.Contains(field, reply.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(bob, "Inbox"));
        Assert.Equal(0, await CountAsync(mallory, "Sent"));
    }

    [Fact]
    public async Task Send_RawFromOwnAddressOtherCaseAndTrailingDot_Delivered()
    {
        await using var alice = await RawSession.RegisterAsync(daemon.EndPoint, "alice-own@example.org");
        await using var bob = await RawSession.RegisterAsync(daemon.EndPoint, "bob-own@example.org");
        var raw = TestMessages.Simple("Alice <ALICE-Own@Example.ORG.>", "bob-own@example.org", "mine", extraHeaders: "Sender: alice-own@example.org\r\n");

        var reply = await alice.RequestAsync(new { cmd = "send", rcpt = new[] { "BOB-own@EXAMPLE.org." } }, raw);

        Assert.True(reply.Ok, reply.Head);
        Assert.Equal("delivered", reply.Json.GetProperty("recipients")[0].GetProperty("status").GetString());
        Assert.Equal(1, await CountAsync(bob, "Inbox"));
    }

    [Fact]
    public async Task Send_ResentBcc_StrippedLikeBcc()
    {
        await using var alice = await RawSession.RegisterAsync(daemon.EndPoint, "alice-resent@example.org");
        await using var bob = await RawSession.RegisterAsync(daemon.EndPoint, "bob-resent@example.org");
        await using var carol = await RawSession.RegisterAsync(daemon.EndPoint, "carol-resent@example.org");
        var raw = TestMessages.Simple(
            "alice-resent@example.org",
            "bob-resent@example.org",
            "resent",
            extraHeaders: "Resent-From: alice-resent@example.org\r\nResent-Bcc: carol-resent@example.org\r\nBcc: carol-resent@example.org\r\n");

        var reply = await alice.RequestAsync(new { cmd = "send", rcpt = new[] { "bob-resent@example.org", "carol-resent@example.org" } }, raw);

        Assert.True(reply.Ok, reply.Head);
        foreach (var reader in new[] { bob, carol })
        {
            var text = Encoding.UTF8.GetString(await FetchFirstAsync(reader));
            Assert.DoesNotContain("carol-resent", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Resent-From: alice-resent@example.org", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Subject: a\u0000b")]
    [InlineData("Subject: =?utf-8?q?a=00b?=")]
    [InlineData("Subject: bell\u0007")]
    [InlineData("Reply-To: \"x\u001b[2J\" <alice-nul@example.org>")]
    public async Task Send_ControlCharacterInSubjectOrAddressField_MessageInvalid(string field)
    {
        await using var alice = await RawSession.RegisterAsync(daemon.EndPoint, $"alice-nul-{Math.Abs(field.GetHashCode(StringComparison.Ordinal))}@example.org");
        var raw = Encoding.UTF8.GetBytes($"From: alice-nul@example.org\r\nTo: nobody@example.org\r\n{field}\r\n\r\nbody\r\n");

        var reply = await alice.RequestAsync(new { cmd = "message.store", folder = "Drafts" }, raw);

        Assert.False(reply.Ok, reply.Head);
        Assert.Equal(ErrorCode.MessageInvalid, reply.Error);
        Assert.Contains("control character", reply.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_FieldsSubjectWithNul_RefusedWithClearError()
    {
        await using var alice = await RawSession.RegisterAsync(daemon.EndPoint, "alice-fieldnul@example.org");
        await using var bob = await RawSession.RegisterAsync(daemon.EndPoint, "bob-fieldnul@example.org");

        var reply = await alice.RequestAsync(new { cmd = "send", to = new[] { "bob-fieldnul@example.org" }, subject = "hi\u0000there", text = "x" });

        Assert.False(reply.Ok, reply.Head);
        Assert.Equal(ErrorCode.MessageInvalid, reply.Error);
        Assert.Contains("Subject", reply.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(bob, "Inbox"));
    }

    private static async Task<int> CountAsync(RawSession session, string folder)
    {
        var reply = await session.RequestAsync(new { cmd = "message.list", folder });
        Assert.True(reply.Ok, reply.Head);
        return reply.Json.GetProperty("messages").GetArrayLength();
    }

    private static async Task<byte[]> FetchFirstAsync(RawSession session)
    {
        var list = await session.RequestAsync(new { cmd = "message.list", folder = "Inbox" });
        var id = list.Json.GetProperty("messages")[0].GetProperty("id").GetInt64();
        var fetched = await session.RequestAsync(new { cmd = "message.fetch", folder = "Inbox", id });
        Assert.True(fetched.Ok, fetched.Head);
        return fetched.Body;
    }
}
