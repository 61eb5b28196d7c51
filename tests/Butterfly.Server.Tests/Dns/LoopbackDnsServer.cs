using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dns;

namespace Butterfly.Server.Tests.Dns;

/// <summary>
/// A DNS server on 127.0.0.1 for the tests: UDP and TCP on the same OS-chosen port, answers from a table of records
/// of any type (A, AAAA, CNAME, SRV, MX, TXT), and misbehaves on request (drops queries, truncates UDP replies,
/// SERVFAIL, a wrong-id reply first).
/// Unknown names are NXDOMAIN; a known name without the asked type is NODATA.
/// </summary>
internal sealed class LoopbackDnsServer : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TestRecord> _records = [];
    private readonly Lock _recordsLock = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _udpQueries;
    private int _tcpQueries;

    public LoopbackDnsServer()
    {
        // Bind UDP to port 0, then TCP to the same number; another process may hold it for TCP, so retry.
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            var tcp = new TcpListener(IPAddress.Loopback, port);
            try
            {
                tcp.Start();
                _udp = udp;
                _tcp = tcp;
                EndPoint = new IPEndPoint(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }

        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    /// <summary>Where the server listens (UDP and TCP).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The server as written in <c>dns.servers</c>.</summary>
    public string Address => EndPoint.ToString();

    /// <summary>Read no queries: every attempt times out.</summary>
    public bool Drop { get; set; }

    /// <summary>Over UDP, answer with TC set and no records; the full answer comes over TCP.</summary>
    public bool TruncateUdp { get; set; }

    /// <summary>RCODE for every reply (0 = answer from the table, 2 = SERVFAIL, 5 = REFUSED).</summary>
    public int ForcedResponseCode { get; set; }

    /// <summary>Record types answered with SERVFAIL, whatever the table holds.</summary>
    public HashSet<ushort> ServFailTypes { get; } = [];

    /// <summary>Before each real UDP reply, send a reply with another id whose answers are <see cref="ForgedAnswers"/>.</summary>
    public bool WrongIdFirst { get; set; }

    /// <summary>What the wrong-id reply carries.</summary>
    public List<TestRecord> ForgedAnswers { get; } = [];

    /// <summary>When set, replaces the reply: given the query, returns the bytes to send.</summary>
    public Func<byte[], byte[]>? RawReply { get; set; }

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    /// <summary>A resolver that asks this server only.</summary>
    /// <param name="timeoutSeconds">Per attempt.</param>
    /// <param name="attempts">Attempts before the lookup fails.</param>
    /// <param name="random">Draws the SRV and MX shuffles; a seeded one makes them repeatable.</param>
    public DnsResolver Resolver(double timeoutSeconds = 5, int attempts = 1, Random? random = null) =>
        new(new DnsOptions { Servers = [Address], TimeoutSeconds = timeoutSeconds, Attempts = attempts }, random ?? Random.Shared);

    public void Add(params TestRecord[] records)
    {
        lock (_recordsLock)
        {
            _records.AddRange(records);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop);
        _stop.Dispose();
    }

    /// <summary>The reply to <paramref name="query"/> from the table, following CNAMEs as a recursive server would.</summary>
    private byte[] Answer(byte[] query, bool truncated)
    {
        if (RawReply is { } raw)
        {
            return raw(query);
        }

        List<TestRecord> table;
        lock (_recordsLock)
        {
            table = [.. _records];
        }

        var (id, name, type, _) = DnsWire.ReadQuery(query);
        if (ForcedResponseCode != 0 || ServFailTypes.Contains(type))
        {
            return DnsWire.Reply(query, id, ForcedResponseCode != 0 ? ForcedResponseCode : 2, false, []);
        }

        var answers = new List<TestRecord>();
        var current = name;
        for (var hop = 0; hop < 8; hop++)
        {
            var found = table.Where(r => r.Type == type && Same(r.Name, current)).ToList();
            if (found.Count > 0)
            {
                answers.AddRange(found);
                break;
            }

            var alias = table.FirstOrDefault(r => r.Type == TestRecord.TypeCname && Same(r.Name, current));
            if (alias is null)
            {
                break;
            }

            answers.Add(alias);
            current = DnsWire.ReadQuery([.. new byte[DnsWire.HeaderLength], .. alias.Rdata, 0, 0, 0, 0]).Name;
        }

        if (truncated)
        {
            return DnsWire.Reply(query, id, 0, true, []);
        }

        if (answers.Exists(r => r.Type == type))
        {
            return DnsWire.Reply(query, id, 0, false, answers);
        }

        var exists = table.Exists(r => Same(r.Name, current));
        return DnsWire.Reply(query, id, exists ? 0 : 3, false, answers);
    }

    private static bool Same(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref _udpQueries);
            if (Drop)
            {
                continue;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            try
            {
                if (WrongIdFirst)
                {
                    var (id, _, _, _) = DnsWire.ReadQuery(query);
                    var forged = DnsWire.Reply(query, (ushort)(id ^ 0x5A5A), 0, false, ForgedAnswers);
                    await _udp.SendToAsync(forged, SocketFlags.None, received.RemoteEndPoint);
                }

                await _udp.SendToAsync(Answer(query, TruncateUdp), SocketFlags.None, received.RemoteEndPoint);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // The test has finished or the client went away.
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }

            connections.Add(ServeTcpAsync(client));
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeTcpAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var prefix = new byte[2];
                while (true)
                {
                    await stream.ReadExactlyAsync(prefix, _stop.Token);
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    await stream.ReadExactlyAsync(query, _stop.Token);
                    Interlocked.Increment(ref _tcpQueries);
                    if (Drop)
                    {
                        continue;
                    }

                    var reply = Answer(query, truncated: false);
                    var framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException or SocketException or ObjectDisposedException)
            {
                // The client closed the connection or the server is stopping.
            }
        }
    }
}
