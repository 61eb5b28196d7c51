namespace Butterfly.Protocol.Connections;

/// <summary>How a <see cref="FrameConnection"/> tells the frames it receives apart (protocol/framing.md, "Tag").</summary>
public enum FrameRouting
{
    /// <summary>
    /// The serving side (a server session): every frame is a request of the other side's, and the
    /// reserved tag 0 is a protocol error.
    /// </summary>
    Requests,

    /// <summary>
    /// The requesting side (a client, a peer client): every frame answers a request of ours, except
    /// tag 0, which the other side sends on its own (push events, the error frame before a close).
    /// </summary>
    Replies,

    /// <summary>
    /// Both sides send requests (the filter socket, protocol/filter.md, "Requests both ways"): a
    /// head with a top-level <c>"ok"</c> answers a request of ours, any other JSON object is a
    /// request, and a head that is not a JSON object goes to <see cref="IFrameReceiver.OnReply"/>,
    /// since only the receiver knows whether its tag waits for a reply.
    /// </summary>
    Both,
}
