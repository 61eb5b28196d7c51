using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Federation;

/// <summary>Two daemons, a.example and b.example, peers of each other, with alice@a.example, bob@ and carol@b.example.</summary>
public sealed class PeerNetworkFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("butterfly-peers");

    internal PeerNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Network = await PeerNetwork.StartAsync(
            _directory.Path,
            ["a.example", "b.example"],
            users: ["alice@a.example", "bob@b.example", "carol@b.example"]);
    }

    public async Task DisposeAsync()
    {
        await Network.DisposeAsync();
        _directory.Dispose();
    }
}
