using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.MultiDaemon;

/// <summary>Client helpers for the tests of several daemons on one database.</summary>
internal static class GroupClients
{
    public const string Password = DaemonGroup.Password;

    /// <summary>How long a test waits for one pushed event before it calls it lost.</summary>
    public static readonly TimeSpan EventWait = TimeSpan.FromSeconds(30);

    /// <summary>Open registration, for <see cref="DaemonGroup.StartAsync"/>'s configure.</summary>
    public static void OpenRegistration(int daemon, JsonObject json) => json["registration"] = new JsonObject { ["open"] = true };

    public static async Task<ButterflyClient> RegisterAsync(DaemonProcess daemon, string user)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.RegisterAsync(user, Password);
        return client;
    }

    public static async Task<ButterflyClient> LoginAsync(DaemonProcess daemon, string user, string password = Password)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.LoginAsync(user, password);
        return client;
    }

    /// <summary>The next pushed event, or a failure after <see cref="EventWait"/>.</summary>
    public static async Task<EventDto> NextAsync(IAsyncEnumerator<EventDto> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(EventWait), "the event stream ended");
        return events.Current;
    }
}
