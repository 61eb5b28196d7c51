using System.Buffers;
using System.Net.Sockets;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Client;

/// <summary>What arrives from the server, and closing.</summary>
public sealed partial class ButterflyClient
{
    /// <summary>Marks the connection dead (the first error wins) and fails every waiting request with it.</summary>
    private void Close(ButterflyConnectionException error)
    {
        if (Interlocked.CompareExchange(ref _closeError, error, null) is not null)
        {
            return;
        }

        _requests.FailAll(error);
        _connection.Abort();
        _events.Writer.TryComplete();
    }

    private void CloseSocket()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the server.
        }

        _socket.Close();
    }

    /// <summary>Reads a reply (or pushed frame) into its own buffer; null when its head is not a JSON object.</summary>
    private static ButterflyReply? Decode(in Frame frame)
    {
        var headLength = (int)frame.Head.Length;
        var bytes = new byte[headLength + (int)frame.Body.Length];
        frame.Head.CopyTo(bytes);
        frame.Body.CopyTo(bytes.AsSpan(headLength));
        return FrameHeads.TryScanReply(bytes.AsSpan(0, headLength), out var ok, out var code, out var message)
            ? new ButterflyReply(frame.Tag, bytes, headLength, ok == true, code, message)
            : null;
    }

    /// <summary>Routes the server's frames: replies to their requests, tag 0 to <see cref="Events"/>.</summary>
    private sealed class Receiver(ButterflyClient client) : IFrameReceiver
    {
        public void OnReply(in Frame frame)
        {
            // A reply nobody waits for (timed out or cancelled) is dropped unread.
            if (!client._requests.TryTake(frame.Tag, out var pending))
            {
                return;
            }

            if (Decode(frame) is { } reply)
            {
                pending.Complete(reply);
                return;
            }

            var error = new ButterflyConnectionException("The server sent a reply whose head is not a JSON object.");
            pending.Fail(error);
            client.Close(error);
        }

        public void OnTagZero(in Frame frame)
        {
            var reply = Decode(frame);
            if (reply is null)
            {
                client.Close(new ButterflyConnectionException("The server sent a reply whose head is not a JSON object."));
                return;
            }

            if (!reply.Ok)
            {
                // protocol/client.md: an error frame with tag 0 precedes the server closing.
                var code = reply.Code ?? ErrorCode.ProtocolMalformedFrame.ToWire();
                client.Close(new ButterflyConnectionException(code, reply.Message ?? "The server closed the connection.", null));
                return;
            }

            if (!client._events.Writer.TryWrite(reply))
            {
                // Nobody reads: the reader hears it as an overflow and resyncs.
                Volatile.Write(ref client._eventsLost, 1);
            }
        }

        public void OnReadingStopped(ConnectionError? error) => client.Close(error switch
        {
            null => new ButterflyConnectionException("The server closed the connection."),
            { Code: not ErrorCode.None } => new ButterflyConnectionException($"The server sent a frame this client cannot accept ({error.Code.ToWire()})."),
            { Exception: not null } => new ButterflyConnectionException("The connection to the server was lost.", error.Exception),
            { Truncated: true } => new ButterflyConnectionException("The server closed the connection in the middle of a frame."),
            _ => new ButterflyConnectionException(error.Message),
        });
    }
}
