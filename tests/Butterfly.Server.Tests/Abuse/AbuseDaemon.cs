using System.Net;
using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Abuse;

/// <summary>
/// A real daemon for the abuse-limit tests, with open registration and the limits a test sets.
/// Attackers connect from other loopback addresses (127.0.0.2 and up: Linux routes all of 127/8 to lo).
/// </summary>
internal sealed class AbuseDaemon : IAsyncDisposable
{
    public const string Password = "right-password-1";

    public static readonly IPAddress Legit = IPAddress.Parse("127.0.0.1");

    private readonly TempDirectory _directory;

    private AbuseDaemon(TempDirectory directory, DaemonProcess daemon)
    {
        _directory = directory;
        Daemon = daemon;
    }

    public DaemonProcess Daemon { get; }

    public string EndPoint => Daemon.EndPoint;

    /// <summary>An attacker's loopback address: 127.0.0.(1 + n).</summary>
    public static IPAddress Attacker(int n = 1) => IPAddress.Parse($"127.0.0.{1 + n}");

    public static async Task<AbuseDaemon> StartAsync(Action<JsonObject> configure)
    {
        var directory = new TempDirectory("butterfly-abuse");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
        {
            c["registration"] = new JsonObject { ["open"] = true };
            configure(c);
        });
        try
        {
            return new AbuseDaemon(directory, await DaemonProcess.StartAsync(config));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Registers <paramref name="user"/> with <see cref="Password"/> and logs that session out.</summary>
    public async Task RegisterAsync(string user)
    {
        await using var session = await Infrastructure.RawSession.RegisterAsync(EndPoint, user, Password);
    }

    /// <summary>How many lines of the daemon's log contain <paramref name="text"/>.</summary>
    public int CountLines(string text) => Daemon.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Daemon.StopAsync();
        await Daemon.DisposeAsync();
        _directory.Dispose();
    }
}
