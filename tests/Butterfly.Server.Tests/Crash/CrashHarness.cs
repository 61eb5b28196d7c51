using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;
using Xunit.Abstractions;

namespace Butterfly.Server.Tests.Crash;

/// <summary>
/// The kill -9 harness. Each round: senders send to a real daemon (through a proxy that stays put
/// while the daemon restarts on a new port) until enough sends are acknowledged; the daemon is
/// killed with SIGKILL; its store is checked (<see cref="CrashStore"/>: <c>PRAGMA integrity_check</c>
/// on SQLite, amcheck on PostgreSQL); it is restarted; the
/// retrying senders finish their cut-off send with the same submission id; then every count is
/// checked: each acknowledged send is in the recipient's Inbox and the sender's Sent exactly
/// once, each abandoned send at most once (and never in one without the other), nothing twice.
/// </summary>
internal sealed class CrashHarness(CrashSettings settings, ITestOutputHelper output, CrashStore store)
{
    private const string Alice = "alice@example.org";
    private const string Bob = "bob@example.org";
    private const string Password = "crash-password";

    // About a minute of attempts: enough for a restart on a loaded machine.
    private static readonly SubmissionRetryPolicy Retry = new()
    {
        MaxAttempts = 240,
        FirstDelay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(250),
    };

    private static readonly string Text = new('x', 2000);

    public async Task<CrashTotals> RunAsync()
    {
        using var directory = new TempDirectory("butterfly-crash");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            store.Configure(c);
        });
        var daemon = await DaemonProcess.StartAsync(config);
        var totals = new CrashTotals();
        try
        {
            await using (var setup = await ButterflyClient.ConnectAsync(daemon.EndPoint))
            {
                await setup.RegisterAsync(Bob, Password);
                await setup.LogoutAsync();
                await setup.RegisterAsync(Alice, Password);
            }

            await using var proxy = CuttingProxy.Start(daemon.EndPoint);
            for (var round = 1; round <= settings.Rounds; round++)
            {
                daemon = await RoundAsync(round, daemon, proxy, config, directory.Path, totals);
                totals.Rounds = round;
            }

            return totals;
        }
        finally
        {
            await daemon.StopAsync();
            await daemon.DisposeAsync();
        }
    }

    private static async Task<Dictionary<string, int>> SubjectsAsync(ButterflyClient client, string folder, string prefix)
    {
        var counts = new Dictionary<string, int>();
        long? before = null;
        do
        {
            var page = await client.ListMessagesAsync(folder, 500, before);
            foreach (var message in page.Messages)
            {
                if (message.Subject is { } subject && subject.StartsWith(prefix, StringComparison.Ordinal))
                {
                    counts[subject] = counts.GetValueOrDefault(subject) + 1;
                }
            }

            before = page.Next;
        }
        while (before is not null);
        return counts;
    }

    private async Task<DaemonProcess> RoundAsync(int round, DaemonProcess daemon, CuttingProxy proxy, string config, string folder, CrashTotals totals)
    {
        var prefix = $"r{round}-";
        var acknowledged = new ConcurrentDictionary<string, bool>();
        var abandoned = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        void Acknowledge(string subject, bool afterRetry)
        {
            acknowledged[subject] = afterRetry;
            if (acknowledged.Count >= settings.AcknowledgedPerRound)
            {
                enough.TrySetResult();
            }
        }

        var senders = Enumerable.Range(0, settings.RetryingSenders)
            .Select(i => Task.Run(() => RetryingSenderAsync($"{prefix}c{i}-", proxy.EndPoint, Acknowledge, abandoned, stop.Token)))
            .Concat(Enumerable.Range(0, settings.AbandoningSenders)
                .Select(i => Task.Run(() => AbandoningSenderAsync($"{prefix}a{i}-", proxy.EndPoint, Acknowledge, abandoned, stop.Token))))
            .ToArray();

        // Senders that all fail first, or a daemon too slow to acknowledge enough in a minute, fail here.
        await Task.WhenAny(enough.Task, Task.WhenAll(senders)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(enough.Task.IsCompleted, $"round {round}: only {acknowledged.Count} sends were acknowledged before the senders stopped");
        var beforeKill = acknowledged.Count;

        await daemon.KillAsync();
        await daemon.DisposeAsync();
        await store.CheckIntegrityAsync(folder);
        daemon = await DaemonProcess.StartAsync(config);
        proxy.Retarget(daemon.EndPoint);

        // Retrying senders finish the send the kill cut off, then stop; abandoning ones stopped at the kill.
        await stop.CancelAsync();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(2));

        await using var reader = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await reader.LoginAsync(Bob, Password);
        var inbox = await SubjectsAsync(reader, "Inbox", prefix);
        await reader.LogoutAsync();
        await reader.LoginAsync(Alice, Password);
        var sent = await SubjectsAsync(reader, "Sent", prefix);

        var lost = acknowledged.Keys.Where(s => !inbox.ContainsKey(s) || !sent.ContainsKey(s)).ToList();
        var doubled = inbox.Keys.Union(sent.Keys)
            .Where(s => inbox.GetValueOrDefault(s) != 1 || sent.GetValueOrDefault(s) != 1)
            .Except(lost)
            .ToList();
        var unexplained = inbox.Keys.Where(s => !acknowledged.ContainsKey(s) && !abandoned.Contains(s)).ToList();
        var afterRetry = acknowledged.Count(p => p.Value);
        var abandonedStored = abandoned.Count(inbox.ContainsKey);

        totals.Acknowledged += acknowledged.Count;
        totals.AcknowledgedAfterRetry += afterRetry;
        totals.Abandoned += abandoned.Count;
        totals.AbandonedButStored += abandonedStored;
        totals.Lost += lost.Count;
        totals.Duplicated += doubled.Count;
        output.WriteLine(
            $"round {round}: acknowledged {acknowledged.Count} ({beforeKill} before the kill, {afterRetry} after a retry), "
            + $"abandoned {abandoned.Count} (stored once anyway: {abandonedStored}), lost {lost.Count}, duplicated {doubled.Count}");

        Assert.True(lost.Count == 0, $"round {round}: acknowledged but missing from Inbox or Sent: {string.Join(", ", lost)}");
        Assert.True(doubled.Count == 0, $"round {round}: stored more than once, or half: {string.Join(", ", doubled.Select(s => $"{s} ({inbox.GetValueOrDefault(s)} in Inbox, {sent.GetValueOrDefault(s)} in Sent)"))}");
        Assert.True(unexplained.Count == 0, $"round {round}: in the Inbox but never sent: {string.Join(", ", unexplained)}");
        return daemon;
    }

    /// <summary>Sends until stopped; a send the kill cuts off is retried (reconnect, login, same submission id) until it is answered.</summary>
    private static async Task RetryingSenderAsync(string prefix, string endpoint, Action<string, bool> acknowledge, ConcurrentBag<string> abandoned, CancellationToken stop)
    {
        await using var client = await ReconnectingClient.ConnectAsync(endpoint, Alice, Password, policy: Retry);
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var subject = prefix + sequence;
            var reconnects = client.Reconnects;
            try
            {
                await client.SendAsync(new SendRequest { To = [Bob], Subject = subject, Text = Text, SubmissionId = subject });
            }
            catch (Exception ex) when (ex is ButterflyConnectionException or TimeoutException)
            {
                // Every attempt failed: the send is as cut off as an abandoned one.
                abandoned.Add(subject);
                return;
            }

            acknowledge(subject, client.Reconnects > reconnects);
        }
    }

    /// <summary>Sends until the kill cuts a send off, and gives that send up: what a client without submission ids must do.</summary>
    private static async Task AbandoningSenderAsync(string prefix, string endpoint, Action<string, bool> acknowledge, ConcurrentBag<string> abandoned, CancellationToken stop)
    {
        await using var client = await ButterflyClient.ConnectAsync(endpoint);
        await client.LoginAsync(Alice, Password);
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var subject = prefix + sequence;
            try
            {
                await client.SendAsync(new SendRequest { To = [Bob], Subject = subject, Text = Text });
            }
            catch (Exception ex) when (ex is ButterflyConnectionException or TimeoutException)
            {
                abandoned.Add(subject);
                return;
            }

            acknowledge(subject, false);
        }
    }
}
