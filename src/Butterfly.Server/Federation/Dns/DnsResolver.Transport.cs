using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Butterfly.Server.Federation.Dns.Internal;

namespace Butterfly.Server.Federation.Dns;

/// <summary>Talking to the servers: UDP first, TCP when the reply is truncated (RFC 1035 §4.2, RFC 7766).</summary>
public sealed partial class DnsResolver
{
    private const int MaxUdpReply = 65535;

    /// <summary>
    /// Asks the servers in order, <c>attempts</c> rounds. A server that answered with an error (SERVFAIL,
    /// REFUSED, a malformed reply) is not asked again in later rounds; one that timed out is.
    /// </summary>
    private async Task<DnsMessage> QueryServersAsync(string name, DnsRecordType type, CancellationToken ct)
    {
        var lastFailure = new string?[Servers.Count];
        var tries = new int[Servers.Count];
        var givenUp = new bool[Servers.Count];
        for (var round = 0; round < _attempts; round++)
        {
            for (var i = 0; i < Servers.Count; i++)
            {
                if (givenUp[i])
                {
                    continue;
                }

                tries[i]++;
                var result = await ExchangeAsync(Servers[i], name, type, ct);
                if (result.Message is not null)
                {
                    return result.Message;
                }

                lastFailure[i] = result.Failure;
                givenUp[i] = !result.Retry;
            }
        }

        var details = Servers.Select((server, i) =>
            $"{server} {lastFailure[i]} ({tries[i]} {(tries[i] == 1 ? "attempt" : "attempts")})");
        throw new DnsException(name, type.ToString(), Servers, string.Join("; ", details) + ".");
    }

    private async Task<DnsExchangeResult> ExchangeAsync(IPEndPoint server, string name, DnsRecordType type, CancellationToken ct)
    {
        // A random id (and the OS's random source port) is what stands between us and a forged reply.
        var id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
        var query = DnsQueryWriter.Build(id, name, type);
        var result = await WithTimeoutAsync(token => UdpExchangeAsync(server, query, id, name, type, token), ct);
        if (result.Message is { IsTruncated: true })
        {
            result = await WithTimeoutAsync(token => TcpExchangeAsync(server, query, id, name, type, token), ct);
        }

        return result.Message is null ? result : Judge(result.Message);
    }

    /// <summary>Runs one exchange under the per-attempt timeout, turning its expiry and socket errors into results.</summary>
    private async Task<DnsExchangeResult> WithTimeoutAsync(Func<CancellationToken, Task<DnsExchangeResult>> exchange, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token, _disposed.Token);
        try
        {
            return await exchange(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && Volatile.Read(ref _isDisposed) == 0)
        {
            return DnsExchangeResult.Transient($"timed out after {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (SocketException e)
        {
            return DnsExchangeResult.Transient($"network error ({e.SocketErrorCode})");
        }
        catch (IOException e) when (e.InnerException is SocketException se)
        {
            return DnsExchangeResult.Transient($"network error ({se.SocketErrorCode})");
        }
        catch (EndOfStreamException)
        {
            return DnsExchangeResult.Transient("closed the TCP connection before a whole reply");
        }
        catch (OperationCanceledException) when (Volatile.Read(ref _isDisposed) != 0 && !ct.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(DnsResolver));
        }
    }

    private static async Task<DnsExchangeResult> UdpExchangeAsync(IPEndPoint server, byte[] query, ushort id, string name, DnsRecordType type, CancellationToken ct)
    {
        // A connected socket only hears datagrams from the server's address and port.
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, ct);
        await socket.SendAsync(query, SocketFlags.None, ct);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxUdpReply);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(0, MaxUdpReply), SocketFlags.None, ct);
                var reply = buffer.AsSpan(0, received);

                // Late answers to earlier queries and forgeries with the wrong id or question are not ours: keep waiting.
                if (!DnsMessageReader.TryParse(reply, out var message) || !IsReplyTo(message, id, name, type))
                {
                    continue;
                }

                // A truncated reply is finished over TCP; an error RCODE is judged by its code, not its body.
                var usable = message.Error is null || message.IsTruncated
                    || message.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NameError);
                return usable
                    ? DnsExchangeResult.Success(message)
                    : DnsExchangeResult.Final($"sent a malformed reply ({message.Error})");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<DnsExchangeResult> TcpExchangeAsync(IPEndPoint server, byte[] query, ushort id, string name, DnsRecordType type, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        // RFC 1035 §4.2.2: each message is prefixed with its length as two octets.
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, ct);

        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, ct);
        var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(reply, ct);
        if (!DnsMessageReader.TryParse(reply, out var message) || !IsReplyTo(message, id, name, type))
        {
            return DnsExchangeResult.Final("sent a TCP reply that does not answer the query");
        }

        return message.Error is null || message.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NameError)
            ? DnsExchangeResult.Success(message)
            : DnsExchangeResult.Final($"sent a malformed reply over TCP ({message.Error})");
    }

    /// <summary>
    /// Whether <paramref name="message"/> answers our query: same id, QR set, and the same single question
    /// (names compared case-insensitively, RFC 4343). A reply without a question is accepted only when it
    /// reports an error, as FORMERR and NOTIMP replies may omit it.
    /// </summary>
    private static bool IsReplyTo(DnsMessage message, ushort id, string name, DnsRecordType type)
    {
        if (message.Id != id || !message.IsResponse)
        {
            return false;
        }

        if (message.QuestionCount == 0)
        {
            return message.ResponseCode != DnsResponseCode.NoError;
        }

        return message.QuestionName is not null
            && message.QuestionType == type
            && message.QuestionClass == 1
            && string.Equals(message.QuestionName, name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>NOERROR and NXDOMAIN are answers; every other RCODE is this server failing us.</summary>
    private static DnsExchangeResult Judge(DnsMessage message) => message.ResponseCode switch
    {
        DnsResponseCode.NoError or DnsResponseCode.NameError when message.QuestionCount == 1 => DnsExchangeResult.Success(message),
        DnsResponseCode.ServerFailure => DnsExchangeResult.Final("answered SERVFAIL"),
        DnsResponseCode.Refused => DnsExchangeResult.Final("answered REFUSED"),
        DnsResponseCode.FormatError => DnsExchangeResult.Final("answered FORMERR"),
        DnsResponseCode.NotImplemented => DnsExchangeResult.Final("answered NOTIMP"),
        var code => DnsExchangeResult.Final($"answered RCODE {(int)code}"),
    };
}
