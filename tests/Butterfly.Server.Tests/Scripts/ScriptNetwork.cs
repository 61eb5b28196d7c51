using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>
/// Two real daemons for the script tests: a.example (alice owns the scripted addresses, carol and dave
/// are local accounts) and b.example (bob, a remote member). Fast retries: a failed run is tried again
/// after 0.2 s and 0.2 s, then bounced.
/// </summary>
internal static class ScriptNetwork
{
    public const string A = "a.example";
    public const string B = "b.example";
    public const string Alice = "alice@a.example";
    public const string Carol = "carol@a.example";
    public const string Dave = "dave@a.example";
    public const string Bob = "bob@b.example";

    public static Task<PeerNetwork> StartAsync(TempDirectory directory, Action<JsonObject>? scripts = null, string[]? domains = null) =>
        PeerNetwork.StartAsync(
            directory.Path,
            domains ?? [A, B],
            (_, json) =>
            {
                json["queue"] = new JsonObject { ["retrySeconds"] = new JsonArray(0.5), ["heldRetrySeconds"] = 0.5, ["delayNoticeAfterSeconds"] = 0 };
                var section = new JsonObject { ["retrySeconds"] = new JsonArray(0.2, 0.2) };
                scripts?.Invoke(section);
                json["scripts"] = section;
            },
            (domains ?? [A, B]).Contains(B) ? [Alice, Carol, Dave, Bob] : [Alice, Carol, Dave]);

    public static async Task<ButterflyClient> LoginAsync(DaemonProcess daemon, string user)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.LoginAsync(user, PeerNetwork.Password);
        return client;
    }

    /// <summary><c>butterfly script allow ADDRESS --owner OWNER</c> through the daemon's control socket.</summary>
    public static async Task AllowAsync(PeerNetwork network, string address, string owner = Alice)
    {
        var result = await CliProcess.RunAsync(["script", "allow", address, "--owner", owner, "--config", network.ConfigOf(A)]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public static async Task<ButterflyReply> RequestAsync(ButterflyClient client, JsonObject head, string? body = null) =>
        await client.RequestAsync(head, body is null ? default : Encoding.UTF8.GetBytes(body));

    /// <summary>Stores a script as its owner; fails the test when it is refused.</summary>
    public static async Task<JsonElement> PutAsync(ButterflyClient owner, string address, string source)
    {
        var reply = await RequestAsync(owner, new JsonObject { ["cmd"] = "script.put", ["address"] = address }, source);
        Assert.True(reply.Ok, $"script.put: {reply.Code} {reply.Message}");
        return reply.Head.Clone();
    }

    /// <summary>Allows <paramref name="address"/> for alice and stores <paramref name="source"/> as its script.</summary>
    public static async Task ScriptAsync(PeerNetwork network, string address, string source)
    {
        await AllowAsync(network, address);
        await using var alice = await LoginAsync(network[A], Alice);
        await PutAsync(alice, address, source);
    }

    public static async Task<JsonElement> StateAsync(ButterflyClient owner, string address)
    {
        var reply = await RequestAsync(owner, new JsonObject { ["cmd"] = "script.state", ["address"] = address });
        Assert.True(reply.Ok, $"script.state: {reply.Code} {reply.Message}");
        return reply.Head.GetProperty("state").Clone();
    }

    public static async Task<JsonElement[]> RunsAsync(ButterflyClient owner, string address)
    {
        var reply = await RequestAsync(owner, new JsonObject { ["cmd"] = "script.logs", ["address"] = address, ["since"] = 0, ["limit"] = 1000 });
        Assert.True(reply.Ok, $"script.logs: {reply.Code} {reply.Message}");
        return [.. reply.Head.GetProperty("runs").EnumerateArray().Select(r => r.Clone())];
    }

    /// <summary>Sends a plain message and checks every recipient was accepted.</summary>
    public static async Task SendAsync(ButterflyClient client, string subject, string text, params string[] to)
    {
        var result = await client.SendAsync(new SendRequest { To = to, Subject = subject, Text = text });
        Assert.All(result.Recipients, r => Assert.True(r.Status is "delivered" or "queued", $"{r.Address}: {r.Status}"));
    }

    /// <summary>The subjects in a folder, with how many times each is there.</summary>
    public static Task<Dictionary<string, int>> WaitForFolderAsync(
        DaemonProcess daemon, string user, Func<Dictionary<string, int>, bool> done, string what, string folder = "Inbox", double seconds = 60) =>
        Federation.QueueNetwork.WaitForFolderAsync(daemon, user, done, what, folder, seconds);

    public static async Task<Dictionary<string, int>> SubjectsAsync(DaemonProcess daemon, string user, string folder = "Inbox")
    {
        await using var client = await LoginAsync(daemon, user);
        return await Federation.QueueNetwork.SubjectsAsync(client, folder);
    }
}
