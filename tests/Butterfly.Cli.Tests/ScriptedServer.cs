using Butterfly.Client.Tests.Fakes;

namespace Butterfly.Cli.Tests;

/// <summary>A fake protocol server with one canned reply per command, recording the requests it got.</summary>
public static class ScriptedServer
{
    /// <summary>Answers each command with its reply in <paramref name="replies"/>, others with request.unknown-command.</summary>
    public static FakeServer Start(Dictionary<string, (string Head, byte[]? Body)> replies, List<FakeRequest>? seen = null) =>
        new((connection, request) =>
        {
            if (seen is not null)
            {
                lock (seen)
                {
                    seen.Add(request);
                }
            }

            var (head, body) = replies.TryGetValue(request.Command, out var reply)
                ? reply
                : ("""{"ok":false,"code":"request.unknown-command","message":"Unknown."}""", null);
            return connection.SendAsync(request.Tag, head, body);
        });

    /// <summary>A harness logged in to <paramref name="server"/> through the environment, as a user would be.</summary>
    public static CliHarness LoggedIn(FakeServer server) =>
        new CliHarness()
            .Env("BUTTERFLY_SERVER", server.Endpoint)
            .Env("BUTTERFLY_USER", "alice@example.org")
            .Env("BUTTERFLY_PASSWORD", "password123");

    /// <summary>A loopback port nothing listens on (the OS gave it out and it was closed again).</summary>
    public static int UnusedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The login reply.</summary>
    public static (string, byte[]?) LoginOk { get; } = ("""{"ok":true,"user":"alice@example.org"}""", null);
}
