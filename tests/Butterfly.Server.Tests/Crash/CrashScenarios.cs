using Butterfly.Client;
using Butterfly.TestUtilities;
using Xunit.Abstractions;

namespace Butterfly.Server.Tests.Crash;

/// <summary>
/// Never lose an acknowledged message, never store one twice: kill -9 the daemon mid-send, restart
/// it, let clients retry with their submission ids, count. Run on each store: <see cref="CrashTests"/>
/// (SQLite) and <see cref="PostgresCrashTests"/>.
/// </summary>
public abstract class CrashScenarios(ITestOutputHelper output)
{
    private const string Password = "crash-password";

    /// <summary>The store the daemon runs on.</summary>
    private protected abstract CrashStore Store { get; }

    [Fact]
    public async Task Send_DaemonKilledAfterCommitBeforeTheReply_ClientRetriesWithTheSameIdAndItIsStoredOnce()
    {
        using var directory = new TempDirectory("butterfly-kill-retry");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
        {
            c["registration"] = new System.Text.Json.Nodes.JsonObject { ["open"] = true };
            Store.Configure(c);
        });
        var daemon = await DaemonProcess.StartAsync(config);
        try
        {
            await using (var setup = await ButterflyClient.ConnectAsync(daemon.EndPoint))
            {
                await setup.RegisterAsync("bob@example.org", Password);
                await setup.LogoutAsync();
                await setup.RegisterAsync("alice@example.org", Password);
            }

            await using var proxy = CuttingProxy.Start(daemon.EndPoint);
            await using var alice = await ReconnectingClient.ConnectAsync(proxy.EndPoint, "alice@example.org", Password, policy: new SubmissionRetryPolicy
            {
                MaxAttempts = 240,
                FirstDelay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromMilliseconds(250),
            });

            // The daemon commits and answers; the proxy keeps the answer from the client. Then kill -9.
            var held = proxy.Arm(CutPoint.HoldReply, "\"send\"");
            var send = alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "killed mid-send", Text = "once" });
            await held.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.False(send.IsCompleted);
            await daemon.KillAsync();
            await daemon.DisposeAsync();

            daemon = await DaemonProcess.StartAsync(config);
            proxy.Retarget(daemon.EndPoint);
            var result = await send.WaitAsync(TimeSpan.FromMinutes(2));

            Assert.True(alice.Reconnects >= 1);
            await using var bob = await ButterflyClient.ConnectAsync(daemon.EndPoint);
            await bob.LoginAsync("bob@example.org", Password);
            Assert.Single((await bob.ListMessagesAsync("Inbox")).Messages, m => m.Subject == "killed mid-send");
            var sentCopy = Assert.Single((await alice.Client.ListMessagesAsync("Sent")).Messages, m => m.Subject == "killed mid-send");
            Assert.Equal(sentCopy.Id, result.SentId);
        }
        finally
        {
            await daemon.StopAsync();
            await daemon.DisposeAsync();
        }
    }

    /// <summary>
    /// The kill -9 harness (<see cref="CrashHarness"/>): a few rounds here; tests/bench/crash-rounds.sh
    /// runs 100+ on a Release build through the BUTTERFLY_CRASH_* variables.
    /// </summary>
    [Fact]
    public async Task KillRounds_SendersRetryingWithSubmissionIds_EveryAcknowledgedSendStoredExactlyOnce()
    {
        var settings = CrashSettings.FromEnvironment();
        var totals = await new CrashHarness(settings, output, Store).RunAsync();

        output.WriteLine($"crash totals ({Store.Name}): " + totals);
        if (settings.ReportPath is { } report)
        {
            await File.AppendAllTextAsync(report, $"{DateTimeOffset.UtcNow:u} {Store.Name}: {totals}{Environment.NewLine}");
        }

        Assert.Equal(settings.Rounds, totals.Rounds);
        Assert.Equal(0, totals.Lost);
        Assert.Equal(0, totals.Duplicated);
        Assert.True(totals.Acknowledged >= settings.Rounds * settings.AcknowledgedPerRound);
    }
}
