using System.Net.Sockets;
using System.Net;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

public sealed class DnsResolverTransportTests
{
    private const string Service = "_butterfly._tcp.b.example";

    /// <summary>Guards against hangs only; nothing here measures speed.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ResolveSrvAsync_ServerSilent_ThrowsDnsExceptionNamingNameAndServer()
    {
        await using var server = new LoopbackDnsServer { Drop = true };
        var resolver = server.Resolver(timeoutSeconds: 0.2, attempts: 2);

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));

        Assert.Contains(Service, error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Address, error.Message, StringComparison.Ordinal);
        Assert.Contains("no reply", error.Message, StringComparison.Ordinal);
        Assert.Equal(Service, error.Name);
        Assert.Equal("SRV", error.RecordType);
        Assert.Equal([server.EndPoint], error.Servers);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_FirstServerSilent_SecondServerAnswers()
    {
        await using var silent = new LoopbackDnsServer { Drop = true };
        await using var working = new LoopbackDnsServer();
        working.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = new DnsResolver(new DnsOptions { Servers = [silent.Address, working.Address], TimeoutSeconds = 0.3, Attempts = 2 });

        var records = await resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard);

        // Servers are asked in the configured order, each for all its attempts.
        Assert.Equal("mx1.b.example", Assert.Single(records).Target);
        Assert.Equal(2, silent.UdpQueries);
        Assert.Equal(1, working.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_NothingListening_ThrowsDnsException()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var resolver = new DnsResolver(new DnsOptions { Servers = [$"127.0.0.1:{port}"], TimeoutSeconds = 0.2, Attempts = 1 });

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveSrvAsync_TruncatedOverUdp_RetriedOverTcp()
    {
        await using var server = new LoopbackDnsServer { TruncateUdp = true };
        server.Add(
            TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"),
            TestRecord.Srv(Service, 20, 0, 7410, "mx2.b.example"));
        var resolver = server.Resolver();

        var records = await resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard);

        Assert.Equal(["mx1.b.example", "mx2.b.example"], records.Select(r => r.Target));
        Assert.Equal(1, server.UdpQueries);
        Assert.Equal(1, server.TcpQueries);
    }

    [Theory]
    [InlineData(2, "SERVFAIL")]
    [InlineData(5, "REFUSED")]
    public async Task ResolveSrvAsync_ErrorResponseCode_ThrowsDnsExceptionNamingCodeAndServer(int rcode, string text)
    {
        await using var server = new LoopbackDnsServer { ForcedResponseCode = rcode };
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = server.Resolver(attempts: 3);

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));

        Assert.Contains($"{server.Address} answered {text}", error.Message, StringComparison.Ordinal);
        Assert.Equal("SRV", error.RecordType);
    }

    [Fact]
    public async Task ResolveSrvAsync_ServFailThenGoodServer_UsesGoodServer()
    {
        await using var failing = new LoopbackDnsServer { ForcedResponseCode = 2 };
        await using var working = new LoopbackDnsServer();
        working.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = new DnsResolver(new DnsOptions { Servers = [failing.Address, working.Address], TimeoutSeconds = 5, Attempts = 1 });

        var records = await resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard);

        Assert.Equal("mx1.b.example", Assert.Single(records).Target);
    }

    [Fact]
    public async Task ResolveSrvAsync_FirstServerHasNoSuchRecords_AnswerIsFinal()
    {
        await using var first = new LoopbackDnsServer();
        await using var second = new LoopbackDnsServer();
        first.Add(TestRecord.A(Service, "192.0.2.1"));
        second.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = new DnsResolver(new DnsOptions { Servers = [first.Address, second.Address], TimeoutSeconds = 5, Attempts = 1 });

        var records = await resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard);

        Assert.Empty(records);
        Assert.Equal(0, second.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_WrongIdReplyFirst_ForgedAnswerNeverUsed()
    {
        await using var server = new LoopbackDnsServer { WrongIdFirst = true };
        server.ForgedAnswers.Add(TestRecord.Srv(Service, 0, 0, 25, "evil.attacker.example"));
        server.Add(TestRecord.Srv(Service, 10, 0, 7410, "mx1.b.example"));
        var resolver = server.Resolver(attempts: 2);

        // DnsClient drops the attempt that met a reply with the wrong id: every attempt here meets one first.
        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));

        Assert.Contains("id", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.UdpQueries);
    }

    [Fact]
    public async Task ResolveSrvAsync_ReplyForAnotherQuestion_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer
        {
            // Right id, wrong question: a late or forged answer, never the reply to this query.
            RawReply = query =>
            {
                var (id, _, _, _) = DnsWire.ReadQuery(query);
                return DnsWire.Reply(Query(id, "_butterfly._tcp.evil.example"), id, 0, false, [TestRecord.Srv("_butterfly._tcp.evil.example", 0, 0, 25, "evil.example")]);
            },
        };
        var resolver = server.Resolver();

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));

        Assert.Contains("reply to another question", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveSrvAsync_CompressionPointerLoop_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer
        {
            RawReply = query =>
            {
                var (id, _, _, _) = DnsWire.ReadQuery(query);
                var reply = DnsWire.Reply(query, id, 0, false, []).ToList();
                reply[7] = 1; // ANCOUNT = 1
                var self = reply.Count;
                reply.AddRange([(byte)(0xC0 | (self >> 8)), (byte)self]); // owner name: a pointer to itself
                reply.AddRange([0, 33, 0, 1, 0, 0, 0, 60, 0, 0]);
                return [.. reply];
            },
        };
        var resolver = server.Resolver(attempts: 2);

        var error = await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveSrvAsync_GarbageReply_ThrowsDnsException()
    {
        await using var server = new LoopbackDnsServer { RawReply = _ => [1, 2, 3] };
        var resolver = server.Resolver(timeoutSeconds: 0.2);

        await Assert.ThrowsAsync<DnsException>(() => resolver.ResolveSrvAsync(Service).WaitAsync(HangGuard));
    }

    [Fact]
    public async Task ResolveSrvAsync_Cancelled_ThrowsOperationCanceledNotDnsException()
    {
        await using var server = new LoopbackDnsServer { Drop = true };
        var resolver = server.Resolver(timeoutSeconds: 30);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.ResolveSrvAsync(Service, cts.Token).WaitAsync(HangGuard));
    }

    private static byte[] Query(ushort id, string name)
    {
        var query = new List<byte>();
        DnsWire.AppendUInt16(query, id);
        DnsWire.AppendUInt16(query, 0x0100);
        DnsWire.AppendUInt16(query, 1);
        query.AddRange(new byte[6]);
        query.AddRange(DnsWire.Name(name));
        DnsWire.AppendUInt16(query, 33);
        DnsWire.AppendUInt16(query, 1);
        return [.. query];
    }
}
