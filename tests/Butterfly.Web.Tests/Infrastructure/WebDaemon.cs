using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.TestUtilities;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>
/// The real daemon serving the web client on a loopback port the OS picks (<c>"web": {"listen": "127.0.0.1:0"}</c>),
/// registration open so tests make fresh accounts: each test uses accounts of its own and stays independent
/// of the others sharing the daemon.
/// </summary>
public sealed class WebDaemon : IAsyncDisposable
{
    private static int _accounts;
    private readonly TempDirectory _directory;

    private WebDaemon(TempDirectory directory, DaemonProcess daemon, string configPath)
    {
        _directory = directory;
        Process = daemon;
        ConfigPath = configPath;
    }

    /// <summary>The daemon process.</summary>
    public DaemonProcess Process { get; }

    /// <summary>Its butterfly.json (the CLI's <c>--config</c>).</summary>
    public string ConfigPath { get; }

    /// <summary>The page's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url => Process.WebUrl!;

    /// <summary>Starts a daemon with the web client on.</summary>
    /// <param name="configure">More changes to butterfly.json.</param>
    public static async Task<WebDaemon> StartAsync(Action<JsonObject>? configure = null)
    {
        var directory = new TempDirectory("butterfly-web");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"], c =>
        {
            c["web"] = new JsonObject { ["listen"] = "127.0.0.1:0" };
            c["registration"] = new JsonObject { ["open"] = true };
            configure?.Invoke(c);
        });
        var daemon = await DaemonProcess.StartAsync(config);
        await Eventually.TrueAsync(() => daemon.WebUrl is not null || daemon.HasExited, "the daemon printed its web client address");
        if (daemon.WebUrl is null)
        {
            await daemon.DisposeAsync();
            directory.Dispose();
            throw new InvalidOperationException("The daemon serves no web client:\n" + daemon.Output);
        }

        return new WebDaemon(directory, daemon, config);
    }

    /// <summary>Registers a new account, <c>NAME-N@example.org</c>, unique within the test run.</summary>
    /// <param name="name">A readable prefix (what it shows in screenshots).</param>
    public async Task<TestAccount> NewAccountAsync(string name)
    {
        var account = new TestAccount($"{name}{Interlocked.Increment(ref _accounts)}@example.org", $"{name}-pass-{Guid.NewGuid():N}");
        await using var client = await ButterflyClient.ConnectAsync(Process.EndPoint);
        await client.RegisterAsync(account.Address, account.Password);
        return account;
    }

    /// <summary>A client connection logged in as <paramref name="account"/>.</summary>
    public async Task<ButterflyClient> ConnectAsync(TestAccount account)
    {
        var client = await ButterflyClient.ConnectAsync(Process.EndPoint);
        await client.LoginAsync(account.Address, account.Password);
        return client;
    }

    /// <summary>Runs the operator's CLI against this daemon and fails on a non-zero exit.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync([.. args, "--config", ConfigPath]);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"butterfly {string.Join(' ', args)} exited {result.ExitCode}:\n{result}");
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _directory.Dispose();
    }
}
