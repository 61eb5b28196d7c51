using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Butterfly.TestUtilities;

/// <summary>
/// A TCP proxy on 127.0.0.1 (a port the OS picks) in front of a Butterfly server, for tests of
/// delivery over connections that break. It understands framing (framing.md: length, tag, head
/// length, head, body) and forwards whole frames; when armed, it cuts the first connection that
/// carries a request whose head contains a marker (e.g. <c>peer.deliver</c>) at a chosen
/// <see cref="CutPoint"/>, closing both sides after forwarding exactly the bytes that point allows.
/// Every later connection passes untouched until it is armed again.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private readonly object _gate = new();
    private Arming? _armed;
    private int _connections;

    private CuttingProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>HOST:PORT the proxy listens on.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>The port the proxy listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Starts a proxy to <paramref name="target"/> (HOST:PORT).</summary>
    /// <param name="target">Where to forward.</param>
    public static CuttingProxy Start(string target)
    {
        if (!IPEndPoint.TryParse(target, out var endpoint))
        {
            throw new ArgumentException($"'{target}' is not HOST:PORT.", nameof(target));
        }

        return new CuttingProxy(endpoint);
    }

    /// <summary>
    /// Arms one cut: the next request whose head contains <paramref name="marker"/> is cut at
    /// <paramref name="point"/>. The task completes when the cut has been made.
    /// </summary>
    /// <param name="point">Where to cut.</param>
    /// <param name="marker">Text the request's JSON head must contain.</param>
    public Task Arm(CutPoint point, string marker)
    {
        var arming = new Arming(point, Encoding.UTF8.GetBytes(marker));
        lock (_gate)
        {
            _armed = arming;
        }

        return arming.Fired.Task;
    }

    /// <summary>Sends connections accepted from now on to <paramref name="target"/> (a restarted server's new port).</summary>
    /// <param name="target">HOST:PORT.</param>
    public void Retarget(string target)
    {
        if (!IPEndPoint.TryParse(target, out var endpoint))
        {
            throw new ArgumentException($"'{target}' is not HOST:PORT.", nameof(target));
        }

        Volatile.Write(ref _target, endpoint);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_gate)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            _sockets.Clear();
        }

        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var target = Volatile.Read(ref _target);
        var server = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (_gate)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }

        try
        {
            await server.ConnectAsync(target, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Close(client, server);
            return;
        }

        var connection = new ProxiedConnection(this, client, server);
        await Task.WhenAll(connection.PumpRequestsAsync(), connection.PumpRepliesAsync());
        Close(client, server);
    }

    private Arming? TakeArming(ReadOnlySpan<byte> head)
    {
        lock (_gate)
        {
            if (_armed is { } armed && armed.Point <= CutPoint.AfterRequest && head.IndexOf(armed.Marker) >= 0)
            {
                _armed = null;
                return armed;
            }

            if (_armed is { } forReply && forReply.Point > CutPoint.AfterRequest && head.IndexOf(forReply.Marker) >= 0)
            {
                _armed = null;
                return forReply;
            }

            return null;
        }
    }

    private static void Close(Socket client, Socket server)
    {
        foreach (var socket in new[] { client, server })
        {
            try
            {
                // A graceful close: the bytes already forwarded arrive, then the end of the stream.
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            socket.Dispose();
        }
    }

    private sealed record Arming(CutPoint Point, byte[] Marker)
    {
        public TaskCompletionSource Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One client connection and its server connection.</summary>
    private sealed class ProxiedConnection(CuttingProxy proxy, Socket client, Socket server)
    {
        private readonly object _gate = new();
        private ulong? _replyTag;
        private Arming? _replyCut;
        private bool _holding;

        public async Task PumpRequestsAsync()
        {
            await PumpAsync(client, server, (frame, headOffset, headLength) =>
            {
                var head = frame.AsSpan(headOffset, headLength);
                var arming = proxy.TakeArming(head);
                if (arming is null)
                {
                    return frame.Length;
                }

                var bodyLength = frame.Length - headOffset - headLength;
                switch (arming.Point)
                {
                    case CutPoint.BeforeRequest:
                        return Cut(arming, 0);
                    case CutPoint.InRequestHead:
                        return Cut(arming, headOffset + Math.Max(1, headLength / 2));
                    case CutPoint.InRequestBody:
                        return Cut(arming, headOffset + headLength + Math.Max(1, bodyLength / 2));
                    case CutPoint.AfterRequest:
                        return Cut(arming, frame.Length);
                    default:
                        lock (_gate)
                        {
                            _replyTag = BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(4));
                            _replyCut = arming;
                        }

                        return frame.Length;
                }
            });
        }

        public async Task PumpRepliesAsync()
        {
            await PumpAsync(server, client, (frame, _, _) =>
            {
                Arming? arming;
                lock (_gate)
                {
                    if (_holding)
                    {
                        return 0;
                    }

                    if (_replyTag is null || BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(4)) != _replyTag)
                    {
                        return frame.Length;
                    }

                    arming = _replyCut!;
                    _replyTag = null;
                    _replyCut = null;
                    if (arming.Point == CutPoint.HoldReply)
                    {
                        // Swallow this reply and everything after it; the server side's end closes both.
                        _holding = true;
                        arming.Fired.TrySetResult();
                        return 0;
                    }
                }

                return Cut(arming, arming.Point == CutPoint.InReply ? frame.Length / 2 : frame.Length);
            });
        }

        /// <summary>Marks a cut: forward <paramref name="bytes"/> of the frame, then close (encoded as a negative count).</summary>
        private static int Cut(Arming arming, int bytes)
        {
            arming.Fired.TrySetResult();
            return -1 - bytes;
        }

        /// <summary>
        /// Forwards whole frames from <paramref name="from"/> to <paramref name="to"/>; <paramref name="decide"/>
        /// returns the frame's length to forward it, 0 to drop it, or <c>-1 - n</c> to forward n bytes and cut.
        /// </summary>
        private async Task PumpAsync(Socket from, Socket to, Func<byte[], int, int, int> decide)
        {
            var buffer = new byte[64 * 1024];
            var count = 0;
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer.AsMemory(count), SocketFlags.None);
                    if (read == 0)
                    {
                        break;
                    }

                    count += read;
                    while (count >= 4)
                    {
                        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(buffer), int.MaxValue - 8) + 4;
                        if (length < 16)
                        {
                            // Not framing this proxy can follow: pass the bytes through as they are.
                            await SendAsync(to, buffer.AsMemory(0, count));
                            count = 0;
                            break;
                        }

                        if (count < length)
                        {
                            if (length > buffer.Length)
                            {
                                Array.Resize(ref buffer, length);
                            }

                            break;
                        }

                        var frame = buffer.AsSpan(0, length).ToArray();
                        var headLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(12)), (uint)(length - 16));
                        var decision = decide(frame, 16, headLength);
                        if (decision < 0)
                        {
                            var bytes = -1 - decision;
                            if (bytes > 0)
                            {
                                await SendAsync(to, frame.AsMemory(0, bytes));
                            }

                            Close(client, server);
                            return;
                        }

                        await SendAsync(to, frame.AsMemory(0, decision));
                        Buffer.BlockCopy(buffer, length, buffer, 0, count - length);
                        count -= length;
                    }
                }

                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                // Either side went away (a killed server resets its sockets): close the other side too,
                // so the client learns at once instead of when it next writes.
                Close(client, server);
            }
        }

        private static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None);
                bytes = bytes[sent..];
            }
        }
    }
}
