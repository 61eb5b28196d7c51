using System.Text.Json;
using Butterfly.Client;
using Butterfly.Protocol.Contracts;
using Butterfly.Server.Configuration;
using Butterfly.Server.Federation;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Helpers for federation tests: an in-process sending server, raw peer sessions, mailbox reads.</summary>
internal static class PeerTestKit
{
    /// <summary>
    /// A sending server for <paramref name="domain"/> inside the test process: the daemons of the
    /// network confirm its keys because it holds the secret the network configured for that domain.
    /// </summary>
    public static PeerTransport Transport(PeerNetwork network, string domain, Action<ButterflyOptions>? configure = null)
    {
        var options = new ButterflyOptions { Domains = [domain] };
        options.Federation.Secret = PeerNetwork.SecretOf(domain);
        options.Federation.ConnectTimeoutSeconds = 5;
        options.Federation.RequestTimeoutSeconds = 20;
        foreach (var other in network.Domains.Where(d => d != domain))
        {
            options.Peers[other] = new PeerOptions { Address = network[other].EndPoint };
        }

        configure?.Invoke(options);
        var connector = new PeerConnector(options, new PeerLocator(options, null), null, NullLogger.Instance);
        return new PeerTransport(options, connector, DialbackKeys.Load(options), NullLogger.Instance);
    }

    /// <summary>A fresh delivery id (32 hex digits, as Butterfly makes them).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Connects a raw session and returns it with the connection id of its hello reply.</summary>
    public static async Task<(RawSession Session, string ConnectionId)> HelloAsync(string endpoint)
    {
        var session = await RawSession.ConnectAsync(endpoint);
        var hello = await session.RequestAsync(new { cmd = "hello", version = 1 });
        Assert.True(hello.Ok, hello.Head);
        return (session, hello.Json.GetProperty("connection").GetString()!);
    }

    /// <summary>A raw session authenticated as <paramref name="from"/> with a key the test computes from the network's secret.</summary>
    public static async Task<(RawSession Session, string ConnectionId, string Key)> AuthenticatedAsync(PeerNetwork network, string from, string to)
    {
        var (session, connection) = await HelloAsync(network[to].EndPoint);
        var key = DialbackKeys.Compute(System.Text.Encoding.UTF8.GetBytes(PeerNetwork.SecretOf(from)), to, from, connection);
        var auth = await session.RequestAsync(new { cmd = "peer.auth", from, to, key });
        Assert.True(auth.Ok, auth.Head);
        return (session, connection, key);
    }

    /// <summary>Logs in with the client library.</summary>
    public static async Task<ButterflyClient> LoginAsync(PeerNetwork network, string user)
    {
        var domain = user[(user.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var client = await ButterflyClient.ConnectAsync(network[domain].EndPoint);
        await client.LoginAsync(user, PeerNetwork.Password);
        return client;
    }

    /// <summary>The messages in <paramref name="user"/>'s folder.</summary>
    public static async Task<IReadOnlyList<MessageDto>> ListAsync(PeerNetwork network, string user, string folder = "Inbox")
    {
        await using var client = await LoginAsync(network, user);
        var page = await client.ListMessagesAsync(folder);
        return page.Messages;
    }

    /// <summary>Waits until <paramref name="user"/>'s folder holds at least <paramref name="count"/> messages.</summary>
    public static async Task<IReadOnlyList<MessageDto>> WaitForAsync(PeerNetwork network, string user, int count, string folder = "Inbox", double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var messages = await ListAsync(network, user, folder);
            if (messages.Count >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Counts the lines of a daemon's log that contain <paramref name="text"/>.</summary>
    public static int CountLines(DaemonProcess daemon, string text) =>
        daemon.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits (the console log is written asynchronously) until at least <paramref name="atLeast"/> lines contain <paramref name="text"/>; returns the count.</summary>
    public static async Task<int> WaitForLinesAsync(DaemonProcess daemon, string text, int atLeast = 1, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (CountLines(daemon, text) < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return CountLines(daemon, text);
    }

    /// <summary>
    /// Starts a.example and b.example (with bob@b.example), b.example with a TLS listener serving
    /// <paramref name="certificate"/>; returns the network and HOST:PORT of that listener.
    /// </summary>
    public static async Task<(PeerNetwork Network, string TlsEndPoint)> StartWithTlsAsync(string directory, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var folder = Path.Combine(directory, "b.example");
        Directory.CreateDirectory(folder);
        TestCertificates.WritePem(certificate, Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        var network = await PeerNetwork.StartAsync(
            directory,
            ["a.example", "b.example"],
            (domain, json) =>
            {
                if (domain == "b.example")
                {
                    json["tls"] = new System.Text.Json.Nodes.JsonObject { ["listen"] = "127.0.0.1:0", ["certificate"] = "cert.pem", ["key"] = "key.pem" };
                }
            },
            users: ["bob@b.example"]);
        return (network, await TlsEndPointAsync(network["b.example"]));
    }

    /// <summary>HOST:PORT of the daemon's TLS listener, from the line it prints after the plain one (which is all <see cref="DaemonProcess"/> waits for).</summary>
    public static async Task<string> TlsEndPointAsync(DaemonProcess daemon)
    {
        const string marker = "butterfly: tls listening on ";
        string? line = null;
        await Eventually.TrueAsync(
            () => (line = daemon.Output.Split('\n').FirstOrDefault(l => l.StartsWith(marker, StringComparison.Ordinal))) is not null,
            "the daemon prints its TLS endpoint");
        return line![marker.Length..].Trim();
    }

    /// <summary>The raw bytes of message <paramref name="id"/> in <paramref name="user"/>'s folder.</summary>
    public static async Task<string> FetchTextAsync(PeerNetwork network, string user, long id, string folder = "Inbox")
    {
        await using var client = await LoginAsync(network, user);
        var message = await client.FetchAsync(folder, id);
        return System.Text.Encoding.UTF8.GetString(message.Content);
    }

    /// <summary>A JSON element's string member.</summary>
    public static string Str(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
