using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Server.Tests.Dns;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>
/// What <c>send</c> says about remote recipients, on a real daemon whose DNS is the loopback server: how the mail
/// leaves, and a domain that takes no mail refused at once instead of bouncing days later.
/// </summary>
public sealed class SendRouteTests
{
    [Fact]
    public async Task Send_DomainWithNullMx_RefusedAtOnceAndNothingQueued()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Mx("nomail.example", 0, "."));
        using var directory = new TempDirectory("butterfly-send-nullmx");
        await using var network = await StartAsync(directory, dns);

        await using var alice = await LoginAsync(network[A], Alice);
        var refused = await Assert.ThrowsAsync<ButterflyException>(() => SendAsync(alice, "nowhere", "bob@nomail.example"));

        Assert.Equal("recipient.domain-unreachable", refused.Code);
        Assert.Contains("bob@nomail.example", refused.Message, StringComparison.Ordinal);
        Assert.Contains("null MX", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await QueueListAsync(network.ConfigOf(A))).GetArrayLength());
    }

    [Fact]
    public async Task Send_DomainWithNoMxNoAddressNoButterfly_Refused()
    {
        await using var dns = new LoopbackDnsServer();
        using var directory = new TempDirectory("butterfly-send-nxdomain");
        await using var network = await StartAsync(directory, dns);

        await using var alice = await LoginAsync(network[A], Alice);
        var refused = await Assert.ThrowsAsync<ButterflyException>(() => SendAsync(alice, "nowhere", "bob@gone.example"));

        Assert.Equal("recipient.domain-unreachable", refused.Code);
    }

    [Fact]
    public async Task Send_MxDomainAndSrvDomain_EachSaysHowItLeaves()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(
            TestRecord.Mx("smtp.example", 10, "mx.smtp.example"),
            TestRecord.A("mx.smtp.example", "127.0.0.1"),
            TestRecord.Srv("_butterfly._tcp.bf.example", 0, 0, 7410, "127.0.0.1."));
        using var directory = new TempDirectory("butterfly-send-via");
        await using var network = await StartAsync(directory, dns);

        await using var alice = await LoginAsync(network[A], Alice);
        var statuses = await SendAsync(alice, "two ways", "bob@smtp.example", "carol@bf.example");

        Assert.Equal(
            [("bob@smtp.example", "queued", "smtp"), ("carol@bf.example", "queued", "butterfly")],
            statuses.Select(s => (s.Address, s.Status, s.Via)).OrderBy(s => s.Address, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CliSend_SmtpDomain_PrintsQueuedForSmtpDelivery()
    {
        await using var dns = new LoopbackDnsServer();
        dns.Add(TestRecord.Mx("smtp.example", 10, "mx.smtp.example"));
        using var directory = new TempDirectory("butterfly-send-cli");
        await using var network = await StartAsync(directory, dns);

        var run = await CliProcess.RunAsync(
            ["send", "--to", "someone@smtp.example", "--subject", "hi", "--body", "-"],
            "Hello\n",
            new Dictionary<string, string>
            {
                ["BUTTERFLY_SERVER"] = network[A].EndPoint,
                ["BUTTERFLY_USER"] = Alice,
                ["BUTTERFLY_PASSWORD"] = PeerNetwork.Password,
            });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("  someone@smtp.example: queued for SMTP delivery to smtp.example\n", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private static Task<PeerNetwork> StartAsync(TempDirectory directory, LoopbackDnsServer dns) =>
        PeerNetwork.StartAsync(
            directory.Path,
            [A],
            (_, json) =>
            {
                // Nothing to deliver to in these tests: the first retry is far away.
                json["queue"] = QueueSection(retrySeconds: 3600);
                json["dns"] = new JsonObject { ["servers"] = new JsonArray(dns.Address), ["timeoutSeconds"] = 2, ["attempts"] = 1 };
            },
            [Alice]);
}
