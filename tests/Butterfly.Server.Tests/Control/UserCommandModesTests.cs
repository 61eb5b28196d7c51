using System.Text.RegularExpressions;
using Butterfly.Server.Control;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Control;

/// <summary>
/// <c>butterfly user ...</c> as real processes, with a daemon holding the data folder (through its
/// control socket) and without one (on the store directly): the same output and exit codes.
/// </summary>
public sealed partial class UserCommandModesTests
{
    // Each step: arguments, stdin. Successes and refusals, text and --json.
    private static readonly (string[] Args, string? Stdin)[] _script =
    [
        (["user", "add", "Alice@Example.org", "--password-stdin"], "alice-password\n"),
        (["user", "add", "bob@example.org", "--password-stdin", "--json"], "bob-password\n"),
        (["user", "add", "alice@example.org", "--password-stdin"], "alice-password\n"),
        (["user", "add", "eve@elsewhere.example", "--password-stdin"], "eve-password\n"),
        (["user", "add", "not-an-address", "--password-stdin", "--json"], "eve-password\n"),
        (["user", "add", "carol@example.org", "--password-stdin"], "short\n"),
        (["user", "list"], null),
        (["user", "list", "--json"], null),
        (["user", "passwd", "bob@example.org", "--password-stdin"], "new-bob-password\n"),
        (["user", "passwd", "bob@example.org", "--password-stdin", "--json"], "short\n"),
        (["user", "passwd", "nobody@example.org", "--password-stdin"], "whatever-password\n"),
        (["user", "del", "alice@example.org", "--json"], null),
        (["user", "del", "alice@example.org"], null),
        (["user", "del", "nobody@example.org", "--json"], null),
        (["user", "list", "--json"], null),
    ];

    [Fact]
    public async Task Script_DaemonRunningAndNot_SameOutputAndExitCodes()
    {
        using var directory = new TempDirectory("butterfly-user-modes");
        var withDaemon = Directory.CreateDirectory(directory.Combine("daemon")).FullName;
        var direct = Directory.CreateDirectory(directory.Combine("direct")).FullName;
        var daemonConfig = DaemonProcess.WriteConfig(withDaemon);
        var directConfig = DaemonProcess.WriteConfig(direct);

        List<string> throughSocket;
        await using (var daemon = await DaemonProcess.StartAsync(daemonConfig))
        {
            throughSocket = await RunScriptAsync(daemonConfig);

            // The daemon carried the changes out (the CLI cannot have: the daemon holds the folder).
            Assert.Contains("Operator added the account alice@example.org", daemon.Output, StringComparison.Ordinal);
            Assert.Contains("Operator changed the password of bob@example.org", daemon.Output, StringComparison.Ordinal);
            Assert.Contains("Operator deleted the account alice@example.org", daemon.Output, StringComparison.Ordinal);
            Assert.Equal(0, await daemon.StopAsync());
        }

        var onStore = await RunScriptAsync(directConfig);

        Assert.Equal(onStore, throughSocket);
        Assert.False(File.Exists(ControlSocket.PathIn(Path.Combine(direct, "data"))));
    }

    [Fact]
    public async Task Add_DomainNotServedByTheRunningDaemon_RefusedWithTheDaemonsDomains()
    {
        using var directory = new TempDirectory("butterfly-user-domains");
        var config = DaemonProcess.WriteConfig(directory.Path, ["example.org"]);
        await using var daemon = await DaemonProcess.StartAsync(config, "--domain", "served.example");

        // butterfly.json names example.org, but the daemon serves what its command line said.
        var configured = await CliProcess.RunAsync(["user", "add", "alice@example.org", "--password-stdin", "--config", config], "alice-password\n");
        var served = await CliProcess.RunAsync(["user", "add", "alice@served.example", "--password-stdin", "--config", config], "alice-password\n");

        Assert.Equal(1, configured.ExitCode);
        Assert.Equal("error: account.invalid-address: 'example.org' is not a domain this server serves (served.example).\n", configured.Stderr.ReplaceLineEndings("\n"));
        Assert.True(served.ExitCode == 0, served.ToString());
    }

    private static async Task<List<string>> RunScriptAsync(string config)
    {
        var transcript = new List<string>();
        foreach (var (args, stdin) in _script)
        {
            var result = await CliProcess.RunAsync([.. args, "--config", config], stdin);
            transcript.Add($"$ {string.Join(' ', args)}\nexit {result.ExitCode}\n{Timestamps().Replace(result.Stdout, "TIME")}--\n{result.Stderr}");
        }

        return transcript;
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")]
    private static partial Regex Timestamps();
}
