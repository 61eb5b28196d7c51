using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;

namespace Butterfly.Protocol.Connections;

/// <summary>
/// What a <see cref="FrameConnection"/> hands its frames to. Every call comes from the read loop,
/// one at a time and in arrival order. A frame's memory is the receive buffer: it is valid only
/// until the call returns (the synchronous part of it), so copy what must outlive it.
/// </summary>
public interface IFrameReceiver
{
    /// <summary>
    /// A request of the other side's. It counts as in flight until its answer, sent with
    /// <see cref="FrameConnection.Reply"/>, has been written; every request must get exactly one.
    /// A returned task that has not completed stops reading until it does (a barrier).
    /// </summary>
    /// <param name="frame">The request.</param>
    ValueTask OnRequestAsync(in Frame frame) =>
        throw new InvalidOperationException("This connection does not serve requests.");

    /// <summary>A reply to a request of ours (see <see cref="PendingRequests{TReply}"/>).</summary>
    /// <param name="frame">The reply.</param>
    void OnReply(in Frame frame)
    {
    }

    /// <summary>A frame with the reserved tag 0 (only with <see cref="FrameConnectionOptions.AcceptsTagZero"/>).</summary>
    /// <param name="frame">The frame.</param>
    void OnTagZero(in Frame frame)
    {
    }

    /// <summary>
    /// The other side broke the framing. Returns the head of the error frame to send with tag 0
    /// before the connection closes, or an empty head to close without one.
    /// </summary>
    /// <param name="code">Why the bytes are not acceptable.</param>
    ReadOnlyMemory<byte> OnProtocolError(ErrorCode code) => ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// Reading has stopped for good: nothing more will arrive, so requests of ours still waiting
    /// can be failed now. Replies owed to the other side are still written after this.
    /// </summary>
    /// <param name="error">What ended the connection; null for an orderly end.</param>
    void OnReadingStopped(ConnectionError? error)
    {
    }
}
