using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Butterfly.Client;
using Butterfly.Protocol.Errors;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Events;

/// <summary><c>butterfly watch</c> and <c>butterfly changes</c> as real processes against the real daemon.</summary>
public sealed class WatchAndChangesCliTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-watch");
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync() => _daemon = await DaemonProcess.StartAsync(WriteConfig(retentionDays: null));

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Watch_NewMessageThenFlag_PrintsOneJsonLinePerEvent()
    {
        await using var alice = await RegisterAsync("alice@example.org");
        await using var bob = await RegisterAsync("bob@example.org");
        var info = CliProcess.StartInfo(["watch", "--json", "--server", _daemon.EndPoint]);
        info.Environment["BUTTERFLY_USER"] = "bob@example.org";
        info.Environment["BUTTERFLY_PASSWORD"] = "long-password";
        using var watch = new Process { StartInfo = info };
        var stdout = Channel.CreateUnbounded<string>();
        var stderr = Channel.CreateUnbounded<string>();
        watch.OutputDataReceived += (_, e) => _ = e.Data is null ? stdout.Writer.TryComplete() : stdout.Writer.TryWrite(e.Data);
        watch.ErrorDataReceived += (_, e) => _ = e.Data is null ? stderr.Writer.TryComplete() : stderr.Writer.TryWrite(e.Data);
        watch.Start();
        watch.BeginOutputReadLine();
        watch.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Assert.StartsWith("butterfly: watching bob@example.org from state ", await stderr.Reader.ReadAsync(cts.Token), StringComparison.Ordinal);

            await alice.SendAsync(new SendRequest { To = ["bob@example.org"], Subject = "Are you there?", Text = "?" });
            var added = JsonDocument.Parse(await stdout.Reader.ReadAsync(cts.Token)).RootElement;
            Assert.Equal("message.added", added.GetProperty("event").GetString());
            Assert.Equal("Inbox", added.GetProperty("folder").GetString());
            Assert.Equal("Are you there?", added.GetProperty("message").GetProperty("subject").GetString());

            var id = added.GetProperty("id").GetInt64();
            await bob.ChangeFlagsAsync("Inbox", [id], ["seen"], null);
            var flags = JsonDocument.Parse(await stdout.Reader.ReadAsync(cts.Token)).RootElement;
            Assert.Equal("message.flags", flags.GetProperty("event").GetString());
            Assert.Equal(id, flags.GetProperty("id").GetInt64());
            Assert.Equal(["seen"], flags.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
            Assert.True(flags.GetProperty("state").GetInt64() > added.GetProperty("state").GetInt64());
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Changes_StateOlderThanRetention_CliAndClientAnswerStateTooOld()
    {
        long before;
        await using (var ivy = await RegisterAsync("ivy@example.org"))
        {
            before = (await ivy.ChangesAsync(0)).State;
            var id = await ivy.StoreAsync("Inbox", "From: x@example.org\r\nSubject: gone soon\r\n\r\nbody\r\n"u8.ToArray());
            var trashed = await ivy.DeleteAsync("Inbox", [id]);
            await ivy.DeleteAsync("Trash", [trashed.Trashed[id]]);
        }

        var ok = await CliProcess.RunAsync(["changes", "--since", Text(before), "--json"], null, As("ivy@example.org"));
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var changes = JsonDocument.Parse(ok.Stdout).RootElement;
        Assert.Equal(["Inbox", "Trash"], changes.GetProperty("removed").EnumerateArray().Select(r => r.GetProperty("folder").GetString()));
        Assert.Equal("Trash", changes.GetProperty("removed")[0].GetProperty("to").GetString());
        var state = changes.GetProperty("state").GetInt64();

        // Restarted with a retention shorter than the time since: the removals are forgotten at start.
        await _daemon.StopAsync();
        await _daemon.DisposeAsync();
        _daemon = await DaemonProcess.StartAsync(WriteConfig(retentionDays: 0.000001));
        await using (var ivy = await ButterflyClient.ConnectAsync(_daemon.EndPoint))
        {
            await ivy.LoginAsync("ivy@example.org", "long-password");
            await Eventually.TrueAsync(
                async () => (await Record.ExceptionAsync(() => ivy.ChangesAsync(before))) is ButterflyException { Error: ErrorCode.StateTooOld },
                "changes since the old state is state.too-old");
            Assert.Empty((await ivy.ChangesAsync(state)).Removed);
        }

        var tooOld = await CliProcess.RunAsync(["changes", "--since", Text(before), "--json"], null, As("ivy@example.org"));
        Assert.Equal(1, tooOld.ExitCode);
        Assert.Contains("state.too-old", tooOld.Stderr, StringComparison.Ordinal);
        var text = await CliProcess.RunAsync(["changes", "--since", Text(state)], null, As("ivy@example.org"));
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"state {Text(state)}", text.Stdout, StringComparison.Ordinal);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private Dictionary<string, string> As(string user) => new()
    {
        ["BUTTERFLY_SERVER"] = _daemon.EndPoint,
        ["BUTTERFLY_USER"] = user,
        ["BUTTERFLY_PASSWORD"] = "long-password",
    };

    private string WriteConfig(double? retentionDays) => DaemonProcess.WriteConfig(_directory.Path, ["example.org"], c =>
    {
        c["registration"] = new JsonObject { ["open"] = true };
        if (retentionDays is { } days)
        {
            c["events"] = new JsonObject { ["changesRetentionDays"] = days };
        }
    });

    private async Task<ButterflyClient> RegisterAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(_daemon.EndPoint);
        await client.RegisterAsync(user, "long-password");
        return client;
    }
}
