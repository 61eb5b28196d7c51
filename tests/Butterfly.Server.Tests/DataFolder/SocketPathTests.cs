using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Butterfly.Server.Control;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.DataFolder;

/// <summary>
/// A daemon never deletes a socket another daemon listens on, nor a file that is not a socket: a second
/// daemon on the same data folder is refused before it touches anything, one pointed at another daemon's
/// filter socket is refused, and a regular file at a socket path is kept with a clear error.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SocketPathTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-sockets");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Serve_SecondDaemonOnTheSameFolderWithFilters_RefusedAndTheFirstsSocketsAnswer()
    {
        var config = WriteConfig(_directory.Path, "data", _directory.Combine("filter.sock"));
        var data = _directory.Combine("data");
        await using var first = await DaemonProcess.StartAsync(config);

        var second = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.Equal(1, second.ExitCode);
        Assert.StartsWith("error: data.in-use: ", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", second.Stdout, StringComparison.Ordinal);
        await AssertAnswersAsync(_directory.Combine("filter.sock"));
        await AssertAnswersAsync(ControlSocket.PathIn(data));
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task Serve_FilterSocketPathAnotherDaemonListensOn_RefusedAndItsSocketAnswers()
    {
        var shared = _directory.Combine("filter.sock");
        Directory.CreateDirectory(_directory.Combine("one"));
        Directory.CreateDirectory(_directory.Combine("two"));
        var firstConfig = WriteConfig(_directory.Combine("one"), "data", shared);
        var secondConfig = WriteConfig(_directory.Combine("two"), "data", shared);
        await using var first = await DaemonProcess.StartAsync(firstConfig);

        var second = await CliProcess.RunAsync(["serve", "--config", secondConfig]);

        Assert.Equal(1, second.ExitCode);
        Assert.Equal(
            $"error: io: The filter socket {shared} is in use: another process (a daemon on another data folder?) listens on it, and it was left as it is (filterSocket.path). Stop that process or choose another path.\n",
            second.Stderr.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("listening", second.Stdout, StringComparison.Ordinal);

        // The refused daemon took nothing: its data folder holds no socket and the first still serves filters.
        Assert.False(File.Exists(ControlSocket.PathIn(Path.Combine(_directory.Combine("two"), "data"))));
        await AssertAnswersAsync(shared);
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task Serve_RegularFileAtTheFilterSocketPath_KeptAndAClearError()
    {
        var path = _directory.Combine("filter.sock");
        await File.WriteAllTextAsync(path, "not a socket: someone's notes\n");
        var config = WriteConfig(_directory.Path, "data", path);

        var daemon = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.Equal(1, daemon.ExitCode);
        Assert.Equal(
            $"error: io: The filter socket {path} exists and is not a socket; it was left as it is (filterSocket.path). Move the file away or choose another path.\n",
            daemon.Stderr.ReplaceLineEndings("\n"));
        Assert.Equal("not a socket: someone's notes\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Serve_RegularFileAtTheControlSocketPath_KeptAndAClearError()
    {
        var data = _directory.Combine("data");
        Directory.CreateDirectory(data);
        var path = ControlSocket.PathIn(data);
        await File.WriteAllTextAsync(path, "not a socket\n");
        var config = DaemonProcess.WriteConfig(_directory.Path);

        var daemon = await CliProcess.RunAsync(["serve", "--config", config]);

        Assert.NotEqual(0, daemon.ExitCode);
        Assert.Contains($"The control socket {path} exists and is not a socket; it was left as it is", daemon.Stderr + daemon.Stdout, StringComparison.Ordinal);
        Assert.Equal("not a socket\n", await File.ReadAllTextAsync(path));
    }

    private static string WriteConfig(string directory, string data, string filterSocket) =>
        DaemonProcess.WriteConfig(directory, configure: c =>
        {
            c["dataDirectory"] = data;
            c["filterSocket"] = new JsonObject { ["path"] = filterSocket };
            c["filters"] = new JsonArray(new JsonObject { ["name"] = "spam", ["stages"] = new JsonArray("inbound"), ["onFailure"] = "accept" });
        });

    private static async Task AssertAnswersAsync(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(socket.Connected, $"{path} does not answer.");
    }
}
