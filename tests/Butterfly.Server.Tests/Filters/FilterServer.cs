using System.Text.Json.Nodes;
using System.Text;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Filters;

/// <summary>A real daemon with filters configured, its filter socket in a temp folder, and accounts alice, bob, carol.</summary>
internal sealed class FilterServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly List<FilterChildProcess> _probes = [];

    private FilterServer(TempDirectory directory, DaemonProcess daemon)
    {
        _directory = directory;
        Daemon = daemon;
    }

    public DaemonProcess Daemon { get; }

    public string Socket => _directory.Combine("filter.sock");

    public string Log => _directory.Combine("probe.log");

    /// <summary>Starts a daemon with <paramref name="filters"/> (the <c>filters</c> array) and registers the accounts.</summary>
    public static async Task<FilterServer> StartAsync(JsonArray filters, int maxHops = 25, double heldRetrySeconds = 1, Action<JsonObject>? configure = null)
    {
        var directory = new TempDirectory("bf-filters");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            c["filterSocket"] = new JsonObject { ["path"] = directory.Combine("filter.sock") };
            c["filters"] = filters;
            c["limits"] = new JsonObject { ["maxHops"] = maxHops };
            c["queue"] = new JsonObject { ["heldRetrySeconds"] = heldRetrySeconds };
            configure?.Invoke(c);
        });
        var daemon = await DaemonProcess.StartAsync(config);
        var server = new FilterServer(directory, daemon);
        foreach (var user in (string[])["alice", "bob", "carol"])
        {
            await using var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
            await client.RegisterAsync($"{user}@example.org", $"{user}-password");
        }

        return server;
    }

    /// <summary>One <c>filters</c> entry.</summary>
    public static JsonObject Filter(string name, string onFailure = "tempfail", double timeoutSeconds = 5, params string[] stages) =>
        new()
        {
            ["name"] = name,
            ["stages"] = new JsonArray([.. stages.Select(s => (JsonNode)s)]),
            ["timeoutSeconds"] = timeoutSeconds,
            ["onFailure"] = onFailure,
        };

    /// <summary>Starts a probe logging to <see cref="Log"/>; it is killed on dispose.</summary>
    public async Task<FilterChildProcess> StartProbeAsync(string name, params string[] args)
    {
        var probe = await ProbeProcess.StartAsync(Socket, name, ["--log", Log, .. args]);
        _probes.Add(probe);
        return probe;
    }

    /// <summary>Starts a probe without waiting for its registration.</summary>
    public async Task<FilterChildProcess> LaunchProbeAsync(string name, params string[] args)
    {
        var probe = await ProbeProcess.StartAsync(Socket, name, ["--log", Log, .. args], waitRegistered: false);
        _probes.Add(probe);
        return probe;
    }

    public Task<ButterflyClient> LoginAsync(string user) => LoginCoreAsync(user);

    /// <summary>A raw message with an X-Probe field holding <paramref name="instruction"/> (JSON), or none.</summary>
    public static byte[] Message(string subject, string? instruction = null, string to = "bob@example.org", string? probeField = null) =>
        Encoding.UTF8.GetBytes(
            $"From: alice@example.org\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@example.org>\r\n" +
            (instruction is null ? string.Empty : $"{probeField ?? "X-Probe"}: {instruction}\r\n") +
            "\r\nHello from the probe tests.\r\n");

    /// <summary>Sends a raw message from alice.</summary>
    public async Task<SendResult> SendAsync(byte[] raw, params string[] rcpt)
    {
        await using var alice = await LoginAsync("alice");
        return await alice.SendAsync(new SendRequest { Raw = raw, Rcpt = rcpt.Length == 0 ? ["bob@example.org"] : rcpt });
    }

    /// <summary>The messages of <paramref name="user"/>'s <paramref name="folder"/> with this subject (none when the folder is missing).</summary>
    public async Task<IReadOnlyList<Butterfly.Protocol.Contracts.MessageDto>> FindAsync(string user, string subject, string folder = "Inbox")
    {
        await using var client = await LoginAsync(user);
        try
        {
            var page = await client.ListMessagesAsync(folder, 200);
            return [.. page.Messages.Where(m => m.Subject == subject)];
        }
        catch (ButterflyException ex) when (ex.Code == "folder.not-found")
        {
            return [];
        }
    }

    /// <summary>Polls until <paramref name="user"/> has <paramref name="count"/> messages with this subject in the folder.</summary>
    public async Task<IReadOnlyList<Butterfly.Protocol.Contracts.MessageDto>> WaitForAsync(string user, string subject, int count = 1, string folder = "Inbox", double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = await FindAsync(user, subject, folder);
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The stored bytes of the one message with this subject.</summary>
    public async Task<string> FetchAsync(string user, string subject, string folder = "Inbox")
    {
        var item = Assert.Single(await FindAsync(user, subject, folder));
        await using var client = await LoginAsync(user);
        var fetched = await client.FetchAsync(folder, item.Id);
        return Encoding.UTF8.GetString(fetched.Content);
    }

    /// <summary>Probe log lines about <paramref name="subject"/>.</summary>
    public IReadOnlyList<JsonObject> LogFor(string subject) =>
        [.. ProbeProcess.ReadLog(Log).Where(l => (string?)l["subject"] == subject)];

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in _probes)
        {
            await probe.DisposeAsync();
        }

        await Daemon.StopAsync();
        await Daemon.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<ButterflyClient> LoginCoreAsync(string user)
    {
        var client = await ButterflyClient.ConnectAsync(Daemon.EndPoint);
        await client.LoginAsync($"{user}@example.org", $"{user}-password");
        return client;
    }
}
