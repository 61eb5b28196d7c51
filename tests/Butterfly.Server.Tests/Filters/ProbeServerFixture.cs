using System.Text.Json.Nodes;

namespace Butterfly.Server.Tests.Filters;

/// <summary>One daemon with the probe registered for inbound mail and claiming list@example.org, shared by a test class.</summary>
public sealed class ProbeServerFixture : IAsyncLifetime
{
    internal FilterServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FilterServer.StartAsync(
            [FilterServer.Filter("probe", "tempfail", 10, "inbound"), FilterServer.Filter("other", "accept", 5)],
            heldRetrySeconds: 1);
        await Server.StartProbeAsync("probe", "--claim", "list@example.org", "--connections", "2");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
