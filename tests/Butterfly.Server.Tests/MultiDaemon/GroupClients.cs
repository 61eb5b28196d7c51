using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.MultiDaemon;

/// <summary>Client helpers for the tests of several daemons on one database.</summary>
internal static class GroupClients
{
    public const string Password = DaemonGroup.Password;

    /// <summary>
    /// How long a test reads events: the token of its event streams is cancelled after this, which
    /// ends a read cleanly (a read left pending would keep its enumerator from being disposed).
    /// </summary>
    public static readonly TimeSpan EventWait = TimeSpan.FromSeconds(60);

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

    /// <summary>The next pushed event; a failure when the stream's token is cancelled first.</summary>
    /// <param name="events">From <c>ReadEventsAsync(token).GetAsyncEnumerator(token)</c>, the token cancelled after <see cref="EventWait"/>.</param>
    /// <param name="what">What the event is awaited for, for the failure message.</param>
    public static async Task<EventDto> NextAsync(IAsyncEnumerator<EventDto> events, string what = "an event")
    {
        try
        {
            Assert.True(await events.MoveNextAsync(), $"the event stream ended while waiting for {what}");
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no push event came in time: waiting for {what}");
        }

        return events.Current;
    }
}
