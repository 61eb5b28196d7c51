using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Filters;

/// <summary>
/// The failure matrix (protocol/filter.md, "Failure policies"): the filter absent, too slow, or
/// killed in the middle of a request, under each of tempfail, accept and reject. With tempfail the
/// held message is delivered exactly once when a working filter registers.
/// </summary>
public sealed class FailurePolicyTests
{
    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var failure in (string[])["absent", "slow", "killed"])
        {
            foreach (var policy in (string[])["tempfail", "accept", "reject"])
            {
                data.Add(failure, policy);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Send_FilterFails_PolicyDecides(string failure, string policy)
    {
        // Held mail is retried every second (queue.heldRetrySeconds), and while the filter fails it stays held.
        await using var server = await FilterServer.StartAsync([FilterServer.Filter("gate", policy, 1, "inbound")], heldRetrySeconds: 1);
        FilterChildProcess? probe = failure switch
        {
            "slow" => await server.StartProbeAsync("gate", "--delay-ms", "4000"),
            "killed" => await server.StartProbeAsync("gate", "--exit-on-message"),
            _ => null,
        };

        var subject = $"{failure} {policy}";
        var raw = FilterServer.Message(subject);
        switch (policy)
        {
            case "accept":
                var accepted = await server.SendAsync(raw);
                Assert.Equal("delivered", Assert.Single(accepted.Recipients).Status);
                Assert.Single(await server.FindAsync("bob", subject));
                break;

            case "reject":
                var refused = await Assert.ThrowsAsync<ButterflyException>(() => server.SendAsync(raw));
                Assert.Equal("filter.rejected", refused.Code);
                Assert.Contains("gate", refused.Message, StringComparison.Ordinal);
                Assert.Empty(await server.FindAsync("bob", subject));
                break;

            default:
                var held = await server.SendAsync(raw);
                Assert.Equal("held", Assert.Single(held.Recipients).Status);
                Assert.Empty(await server.FindAsync("bob", subject));

                // The filter comes back working: the held message is delivered, once.
                if (probe is not null)
                {
                    await probe.KillAsync();
                }

                await server.StartProbeAsync("gate");
                Assert.Single(await server.WaitForAsync("bob", subject));
                var accepts = server.LogFor(subject).Count(l => (string?)l["verdict"] == "accept");
                Assert.Equal(1, accepts);
                await using (var bob = await server.LoginAsync("bob"))
                {
                    Assert.Single((await bob.ListMessagesAsync("Inbox")).Messages);
                }

                break;
        }

        if (failure == "killed")
        {
            Assert.True(probe!.HasExited);
        }
    }

    [Fact]
    public async Task Send_FilterKilledByPidMidRequest_HeldAndDeliveredOnceAfterRestart()
    {
        await using var server = await FilterServer.StartAsync([FilterServer.Filter("gate", "tempfail", 20, "inbound")], heldRetrySeconds: 1);
        var probe = await server.StartProbeAsync("gate", "--delay-ms", "20000");
        await using var alice = await server.LoginAsync("alice");
        var sending = alice.SendAsync(new SendRequest { Raw = FilterServer.Message("killed by pid"), Rcpt = ["bob@example.org"] });

        // The request is outstanding (the probe waits 20 s before answering): kill it now.
        await probe.WaitForLineAsync("holding killed by pid");
        Assert.False(sending.IsCompleted);
        await probe.KillAsync();
        var held = await sending;
        Assert.Equal("held", Assert.Single(held.Recipients).Status);

        await server.StartProbeAsync("gate");
        Assert.Single(await server.WaitForAsync("bob", "killed by pid"));
    }
}
