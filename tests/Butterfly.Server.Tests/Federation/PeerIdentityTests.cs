using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// protocol/peer.md, "Sender check": a peer's From domain aligns with the domain it proved (DMARC
/// relaxed alignment), bounces included; played with raw frames against real daemons.
/// </summary>
public sealed class PeerIdentityTests(PeerNetworkFixture fixture) : IClassFixture<PeerNetworkFixture>
{
    private const string A = "a.example";
    private const string B = "b.example";

    private PeerNetwork Network => fixture.Network;

    [Theory]
    [InlineData("alice@a.example", "Boss <boss@evil.example>", "from another domain")]
    [InlineData("", "Mail Delivery System <mailer-daemon@evil.example>", "a bounce from another domain")]
    [InlineData("", "Mail Delivery System <mailer-daemon@b.example>", "a bounce in the receiver's name")]
    public async Task PeerDeliver_FromNotAlignedWithProvenDomain_RejectedAndNotStored(string sender, string from, string subject)
    {
        var result = await DeliverFromAAsync(sender, from, subject);

        Assert.Equal("rejected", result.GetProperty("status").GetString());
        Assert.Equal("peer.from-not-aligned", result.GetProperty("code").GetString());
        Assert.DoesNotContain(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == subject);
    }

    [Theory]
    [InlineData("alice@a.example", "Alice <alice@mail.a.example>", "from a subdomain")]
    [InlineData("", "Mail Delivery System <mailer-daemon@a.example>", "a bounce from the peer")]
    public async Task PeerDeliver_FromAligned_Delivered(string sender, string from, string subject)
    {
        var result = await DeliverFromAAsync(sender, from, subject);

        Assert.Equal("delivered", result.GetProperty("status").GetString());
        Assert.Contains(await PeerTestKit.ListAsync(Network, "bob@b.example"), m => m.Subject == subject);
    }

    /// <summary>One peer.deliver from a session proven as a.example to bob@b.example; its one recipient result.</summary>
    private async Task<System.Text.Json.JsonElement> DeliverFromAAsync(string sender, string from, string subject)
    {
        var (session, _, _) = await PeerTestKit.AuthenticatedAsync(Network, A, B);
        await using var _1 = session;

        var deliver = await session.RequestAsync(
            new { cmd = "peer.deliver", id = PeerTestKit.NewId(), from = sender, rcpt = new[] { "bob@b.example" }, hops = 1 },
            TestMessages.Simple(from, "bob@b.example", subject));

        Assert.True(deliver.Ok, deliver.Head);
        return Assert.Single(deliver.Json.GetProperty("results").EnumerateArray());
    }
}
