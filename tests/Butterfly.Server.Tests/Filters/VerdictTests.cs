using System.Text;
using Butterfly.Client;

namespace Butterfly.Server.Tests.Filters;

/// <summary>Every verdict kind end to end: a client's send, the real daemon, the probe filter as a process, the stored result.</summary>
public sealed class VerdictTests(ProbeServerFixture fixture) : IClassFixture<ProbeServerFixture>
{
    private FilterServer Server => fixture.Server;

    [Fact]
    public async Task Accept_NoInstruction_DeliveredAndProbeSawEnvelope()
    {
        var result = await Server.SendAsync(FilterServer.Message("plain accept"));
        Assert.Equal("delivered", Assert.Single(result.Recipients).Status);
        Assert.Single(await Server.FindAsync("bob", "plain accept"));
        var line = Assert.Single(Server.LogFor("plain accept"));
        Assert.Equal("inbound", (string?)line["stage"]);
        Assert.Equal("local", (string?)line["origin"]);
        Assert.Equal("alice@example.org", (string?)line["sender"]);
        Assert.Equal("bob@example.org", (string?)line["recipients"]![0]);
    }

    [Fact]
    public async Task Reject_WithCode_SenderGetsCodeAndReason()
    {
        var refused = await Assert.ThrowsAsync<ButterflyException>(() =>
            Server.SendAsync(FilterServer.Message("reject me", """{"verdict":"reject","code":"probe.no","reason":"Probe refuses this one"}""")));
        Assert.Equal("probe.no", refused.Code);
        Assert.Contains("Probe refuses this one", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Server.FindAsync("bob", "reject me"));
    }

    [Fact]
    public async Task Discard_Acknowledged_NothingStored()
    {
        var result = await Server.SendAsync(FilterServer.Message("discard me", """{"verdict":"discard"}"""));
        Assert.NotEmpty(result.Recipients);
        Assert.Single(Server.LogFor("discard me"));
        Assert.Empty(await Server.FindAsync("bob", "discard me"));
        Assert.Empty(await Server.FindAsync("bob", "discard me", "Junk"));
    }

    [Fact]
    public async Task Quarantine_Default_GoesToJunk()
    {
        await Server.SendAsync(FilterServer.Message("quarantine me", """{"verdict":"quarantine"}"""));
        Assert.Single(await Server.FindAsync("bob", "quarantine me", "Junk"));
        Assert.Empty(await Server.FindAsync("bob", "quarantine me"));
    }

    [Fact]
    public async Task File_PerRecipient_OnlyThatRecipientsFolder()
    {
        await Server.SendAsync(
            FilterServer.Message("file me", """{"file":[{"recipient":"bob@example.org","folder":"Lists/Probe"}]}""", to: "bob@example.org, carol@example.org"),
            "bob@example.org",
            "carol@example.org");
        Assert.Single(await Server.FindAsync("bob", "file me", "Lists/Probe"));
        Assert.Empty(await Server.FindAsync("bob", "file me"));
        Assert.Single(await Server.FindAsync("carol", "file me"));
    }

    [Fact]
    public async Task Flags_Star_SetOnTheNewCopy()
    {
        await Server.SendAsync(FilterServer.Message("flag me", """{"flags":[{"recipient":"*","flags":["seen","flagged"]}]}"""));
        var item = Assert.Single(await Server.FindAsync("bob", "flag me"));
        Assert.Contains("seen", item.Flags);
        Assert.Contains("flagged", item.Flags);
    }

    [Fact]
    public async Task Headers_AddChangeDelete_VisibleInStoredMessage()
    {
        var raw = Encoding.UTF8.GetBytes(
            "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: edit me\r\nX-Old: one\r\nX-Old: two\r\nX-Fold: a\r\n b\r\n" +
            """X-Probe: {"headers":[{"op":"add","name":"X-Spam-Score","value":"7.5"},{"op":"change","name":"X-Old","index":2,"value":"changed"},{"op":"delete","name":"X-Fold"}]}""" +
            "\r\n\r\nbody\r\n");
        await Server.SendAsync(raw);
        var stored = await Server.FetchAsync("bob", "edit me");
        Assert.Contains("X-Spam-Score: 7.5\r\n", stored, StringComparison.Ordinal);
        Assert.Contains("X-Old: one\r\nX-Old: changed\r\n", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Fold: a\r\n b\r\n", stored, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nbody\r\n", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_ThenHeaderEdit_StoredMessageIsTheNewOne()
    {
        var instruction = """{"replace":"From: probe@example.org\r\nTo: bob@example.org\r\nSubject: replaced\r\n\r\nA brand new body.\r\n","headers":[{"op":"add","name":"X-Replaced","value":"yes"}]}""";
        await Server.SendAsync(FilterServer.Message("replace me", instruction));
        Assert.Empty(await Server.FindAsync("bob", "replace me"));
        var stored = await Server.FetchAsync("bob", "replaced");
        Assert.Contains("X-Replaced: yes\r\nFrom: probe@example.org\r\n", stored, StringComparison.Ordinal);
        Assert.EndsWith("A brand new body.\r\n", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Probe", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recipients_AddAndRemove_ChangeWhoGetsIt()
    {
        await Server.SendAsync(FilterServer.Message("reroute me", """{"recipients":{"add":["carol@example.org"],"remove":["bob@example.org"]}}"""));
        Assert.Single(await Server.WaitForAsync("carol", "reroute me"));
        Assert.Empty(await Server.FindAsync("bob", "reroute me"));
    }

    [Fact]
    public async Task Inject_NewMessage_ArrivesThroughDelivery()
    {
        var instruction = """{"inject":[{"sender":"alice@example.org","recipients":["carol@example.org"],"text":"From: alice@example.org\r\nTo: carol@example.org\r\nSubject: injected copy\r\n\r\nInjected by the probe.\r\n"}]}""";
        await Server.SendAsync(FilterServer.Message("inject from me", instruction));
        Assert.Single(await Server.FindAsync("bob", "inject from me"));
        Assert.Single(await Server.WaitForAsync("carol", "injected copy"));

        // The injected message passed the chain again, one hop further.
        var line = Assert.Single(Server.LogFor("injected copy"));
        Assert.Equal("filter", (string?)line["origin"]);
        Assert.True((int)line["hops"]! >= 1);
    }

    [Fact]
    public async Task TempFail_Once_HeldThenDeliveredExactlyOnce()
    {
        var result = await Server.SendAsync(FilterServer.Message("tempfail once", """{"verdict":"tempfail","times":1}"""));
        Assert.Equal("held", Assert.Single(result.Recipients).Status);
        Assert.Single(await Server.WaitForAsync("bob", "tempfail once"));

        // Exactly once: the held entry left the queue in the transaction that delivered it, so no
        // later retry round has anything to deliver again.
        await Federation.QueueNetwork.WaitForEmptyQueueAsync(Server.Daemon.ConfigPath);
        Assert.Single(await Server.FindAsync("bob", "tempfail once"));
        Assert.Equal(["tempfail", "accept"], Server.LogFor("tempfail once").Select(l => (string?)l["verdict"]));
    }

    [Fact]
    public async Task Claim_ListAddress_ProbeInjectsToMembersAndNothingStoredForClaim()
    {
        var instruction = """{"verdict":"discard","inject":[{"sender":"list@example.org","recipients":["bob@example.org","carol@example.org"],"text":"From: list@example.org\r\nTo: list@example.org\r\nSubject: list copy\r\n\r\nFor the members.\r\n"}]}""";
        var result = await Server.SendAsync(FilterServer.Message("to the list", instruction, to: "list@example.org"), "list@example.org");
        Assert.Equal("list@example.org", Assert.Single(result.Recipients).Address);
        Assert.Single(await Server.WaitForAsync("bob", "list copy"));
        Assert.Single(await Server.WaitForAsync("carol", "list copy"));
        var claim = Assert.Single(Server.LogFor("to the list"));
        Assert.Equal("claim", (string?)claim["stage"]);
        Assert.Equal("list@example.org", (string?)claim["recipients"]![0]);
    }

    [Fact]
    public async Task Query_AccountAndServer_AnsweredToTheFilter()
    {
        await Server.SendAsync(FilterServer.Message("query me", """{"query":"carol@example.org"}"""));
        var stored = await Server.FetchAsync("bob", "query me");
        Assert.Contains("X-Probe-Account: carol@example.org=yes", stored, StringComparison.Ordinal);
        Assert.Contains($"X-Probe-Server: example.org [example.org] {Butterfly.Protocol.ButterflyVersion.Current}", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ClaimOfAnAccount_Refused()
    {
        await using var probe = await ProbeProcess.StartAsync(Server.Socket, "other", ["--stages", "", "--claim", "bob@example.org"], waitRegistered: false);
        Assert.Equal(1, await probe.WaitForExitAsync());
        Assert.Contains("filter.claim-refused", probe.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFF42ob@example.org")]
    [InlineData("bo\u200Bb@example.org")]
    [InlineData("p\u043Eter@example.org")]
    public async Task Register_ClaimOfALookalikeOrInvisibleOrMixedScriptAddress_Refused(string claim)
    {
        await using var probe = await ProbeProcess.StartAsync(Server.Socket, "other", ["--stages", "", "--claim", claim], waitRegistered: false);
        Assert.Equal(1, await probe.WaitForExitAsync());
        Assert.Contains("filter.claim-refused", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_UnknownName_NotConfigured()
    {
        await using var probe = await ProbeProcess.StartAsync(Server.Socket, "stranger", [], waitRegistered: false);
        Assert.Equal(1, await probe.WaitForExitAsync());
        Assert.Contains("filter.not-configured", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Socket_Mode_Is0660()
    {
        var mode = File.GetUnixFileMode(Server.Socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
    }
}
