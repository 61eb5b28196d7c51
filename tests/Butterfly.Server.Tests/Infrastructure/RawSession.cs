using System.Text.Json;

namespace Butterfly.Server.Tests.Infrastructure;

/// <summary>One request at a time over a <see cref="RawConnection"/>, for readable protocol tests.</summary>
internal sealed class RawSession : IAsyncDisposable
{
    private ulong _tag;

    private RawSession(RawConnection connection) => Connection = connection;

    public RawConnection Connection { get; }

    public static async Task<RawSession> ConnectAsync(string endpoint, System.Net.IPAddress? from = null) => new(await RawConnection.ConnectAsync(endpoint, from: from));

    /// <summary>Connects to a UNIX socket, such as the control socket.</summary>
    public static async Task<RawSession> ConnectUnixAsync(string path) => new(await RawConnection.ConnectUnixAsync(path));

    /// <summary>Registers (open registration) and stays logged in.</summary>
    public static async Task<RawSession> RegisterAsync(string endpoint, string user, string password = "password-123")
    {
        var session = await ConnectAsync(endpoint);
        var reply = await session.RequestAsync(new { cmd = "register", user, password });
        Assert.True(reply.Ok, reply.Head);
        return session;
    }

    public async Task<RawFrame> RequestAsync(object head, byte[]? body = null)
    {
        var tag = ++_tag;
        await Connection.SendAsync(tag, JsonSerializer.Serialize(head), body);
        var reply = await Connection.ReadAsync() ?? throw new IOException("The server closed the connection.");
        Assert.Equal(tag, reply.Tag);
        return reply;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
