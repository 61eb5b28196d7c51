using System.Net.Sockets;
using Butterfly.Server.Control;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Control;

/// <summary>SO_PEERCRED on a real UNIX socket connection, and who may operate.</summary>
public sealed class PeerCredentialsTests
{
    [Fact]
    public async Task TryRead_ConnectionFromThisProcess_GivesItsPidAndUser()
    {
        using var directory = new TempDirectory("butterfly-peercred");
        var path = directory.Combine("peer.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        using var accepted = await listener.AcceptAsync();

        Assert.True(PeerCredentials.TryRead(accepted, out var pid, out var uid));
        Assert.Equal(Environment.ProcessId, pid);
        Assert.Equal(PeerCredentials.OwnUid, uid);
        Assert.True(PeerCredentials.MayOperate(uid));
    }

    [Fact]
    public void MayOperate_RootOrTheDaemonsUser_OthersNot()
    {
        var own = PeerCredentials.OwnUid!.Value;
        var other = own == 65534 ? 65533u : 65534u;

        Assert.True(PeerCredentials.MayOperate(0));
        Assert.True(PeerCredentials.MayOperate(own));
        Assert.False(PeerCredentials.MayOperate(other));
    }
}
