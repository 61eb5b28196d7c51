using System.Net;
using System.Net.Sockets;
using Butterfly.TestUtilities;
using Xunit;

namespace Butterfly.Cli.Tests;

/// <summary><c>butterfly serve</c> as a real process.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_PortInUse_OneLineAndExitOne()
    {
        using var directory = new TempDirectory("butterfly-serve");
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await CliProcess.RunAsync(
            ["serve", "--listen", $"127.0.0.1:{port}", "--data", directory.Combine("data"), "--domain", "example.org"],
            workingDirectory: directory.Path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"error: listen: 127.0.0.1:{port} is already in use\n", result.Stderr.ReplaceLineEndings("\n"));
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Serve_MetricsPortInUse_OneLineNamingTheKey()
    {
        // Two daemons on one machine with the default metrics.listen: the second one says which address
        // is taken, and where it comes from, instead of blaming its mail port.
        using var directory = new TempDirectory("butterfly-serve");
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await CliProcess.RunAsync(
            ["serve", "--listen", "127.0.0.1:0", "--metrics", $"127.0.0.1:{port}", "--data", directory.Combine("data"), "--domain", "example.org"],
            workingDirectory: directory.Path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"error: listen: 127.0.0.1:{port} (metrics.listen) is already in use\n", result.Stderr.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(directory.Combine("data")), "nothing was created before the refusal");
    }

    [Fact]
    public async Task Serve_BadListenAddress_ConfigError()
    {
        using var directory = new TempDirectory("butterfly-serve");

        var result = await CliProcess.RunAsync(
            ["serve", "--listen", "nowhere", "--data", directory.Combine("data"), "--domain", "example.org"],
            workingDirectory: directory.Path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: config: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("listen: 'nowhere' is not HOST:PORT", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Stderr, StringComparison.Ordinal);
    }
}
