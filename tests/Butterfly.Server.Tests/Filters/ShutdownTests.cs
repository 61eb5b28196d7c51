using Butterfly.Client;

namespace Butterfly.Server.Tests.Filters;

/// <summary>SIGTERM with filter daemons connected: their connections close as part of the drain.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_FilterConnected_StopsWithoutWaitingForTheShutdownTimeout()
    {
        // With a shutdown timeout of ten minutes, a daemon that waited for the filter connection
        // to end on its own would outlast the test's deadline below.
        await using var server = await FilterServer.StartAsync(
            [FilterServer.Filter("gate", "tempfail", 5, "inbound")],
            configure: c => c["shutdownTimeoutSeconds"] = 600);
        await using var probe = await server.StartProbeAsync("gate");
        var sent = await server.SendAsync(FilterServer.Message("before shutdown"));
        Assert.Equal("delivered", Assert.Single(sent.Recipients).Status);

        var exitCode = await server.Daemon.StopAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Contains("Stopped", server.Daemon.Output, StringComparison.Ordinal);
    }
}
