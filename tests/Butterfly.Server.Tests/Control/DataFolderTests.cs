using System.Net.Sockets;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Storage;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Control;

/// <summary>
/// One process holds a data folder (protocol/control.md, "The data folder lock"): a second daemon
/// is refused, a crashed daemon's socket does not confuse the commands, and a command finding the
/// folder held waits for the holder to answer.
/// </summary>
public sealed class DataFolderTests
{
    [Fact]
    public async Task Serve_SecondDaemonOnTheSameFolder_OneLineNamingTheFolderAndTheFirstServesOn()
    {
        using var directory = new TempDirectory("butterfly-two-daemons");
        var config = DaemonProcess.WriteConfig(directory.Path);
        await using var first = await DaemonProcess.StartAsync(config);
        var data = Path.Combine(directory.Path, "data");

        var second = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.Equal(1, second.ExitCode);
        Assert.Equal(
            $"error: data.in-use: The data folder {data} is in use by another process, which holds {Path.Combine(data, "butterfly.lock")}: one daemon serves a data folder.\n",
            second.Stderr.ReplaceLineEndings("\n"));
        Assert.Equal(string.Empty, second.Stdout);

        // The refused daemon touched nothing of the first one's: its socket still answers.
        var added = await CliProcess.RunAsync(["user", "add", "alice@example.org", "--password-stdin", "--config", config], "alice-password\n");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("Operator added the account alice@example.org", first.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Commands_AfterTheDaemonWasKilled_StaleSocketIgnoredAndTheNextDaemonStarts()
    {
        using var directory = new TempDirectory("butterfly-stale-socket");
        var config = DaemonProcess.WriteConfig(directory.Path);
        var socket = ControlSocket.PathIn(Path.Combine(directory.Path, "data"));
        await using (var daemon = await DaemonProcess.StartAsync(config))
        {
            await OkAsync(["user", "add", "alice@example.org", "--password-stdin", "--config", config], "alice-password\n");
            await daemon.KillAsync();
        }

        // SIGKILL ran no shutdown code: the socket file is still there, and nobody listens on it.
        Assert.True(File.Exists(socket));
        var refused = await Assert.ThrowsAsync<SocketException>(() => RawConnectAsync(socket));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        Assert.Equal("alice@example.org\n", (await OkAsync(["user", "list", "--config", config])).Stdout.ReplaceLineEndings("\n"));
        await OkAsync(["user", "add", "bob@example.org", "--password-stdin", "--config", config], "bob-password\n");

        await using (var daemon = await DaemonProcess.StartAsync(config))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
            var listed = await OkAsync(["user", "list", "--config", config]);
            Assert.Equal("alice@example.org\nbob@example.org\n", listed.Stdout.ReplaceLineEndings("\n"));
            await OkAsync(["user", "del", "bob@example.org", "--config", config]);
            Assert.Contains("Operator deleted the account bob@example.org", daemon.Output, StringComparison.Ordinal);
            Assert.Equal(0, await daemon.StopAsync());
        }

        // A clean stop takes the socket away.
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task UserList_FolderHeldAndItsSocketNotYetOpen_WaitsAndAsksTheHolder()
    {
        using var directory = new TempDirectory("butterfly-held-folder");
        var config = DaemonProcess.WriteConfig(directory.Path);
        await OkAsync(["user", "add", "alice@example.org", "--password-stdin", "--config", config], "alice-password\n");
        var data = Path.Combine(directory.Path, "data");

        // This process plays a daemon that has taken the folder and not yet opened its socket.
        using var held = DataFolderLock.Acquire(data);
        await using var store = await MailStore.OpenAsync(new StoreOptions { DataDirectory = data, PasswordCost = 4, AllowWeakPasswordHashingForTests = true });
        var command = CliProcess.RunAsync(["user", "list", "--json", "--config", config]);

        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(ControlSocket.PathIn(data)));
        listener.Listen(1);
        using var accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var options = new ButterflyOptions { DataDirectory = data, Domains = ["example.org"] };
        var session = new ControlSession(accepted, new OperatorServices(options, store, NullLogger.Instance, static () => { }), "test");
        var serving = session.RunAsync();
        var result = await command;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"address\": \"alice@example.org\"", result.Stdout, StringComparison.Ordinal);
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task RawConnectAsync(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
    }

    private static async Task<CliResult> OkAsync(string[] args, string? stdin = null)
    {
        var result = await CliProcess.RunAsync(args, stdin);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
