using System.Collections.Concurrent;

namespace Butterfly.Protocol.Connections;

/// <summary>
/// A request of ours waiting for its reply. It is completed exactly once, by whoever removes it
/// from its table: the reply, the timeout sweep, cancellation, or the connection failing.
/// </summary>
/// <typeparam name="TReply">What a reply is decoded into.</typeparam>
public sealed class PendingRequest<TReply> : TaskCompletionSource<TReply>
{
    private readonly ConcurrentDictionary<ulong, PendingRequest<TReply>> _owner;
    private readonly InFlightLimiter? _slots;
    private CancellationTokenRegistration _registration;

    internal PendingRequest(ConcurrentDictionary<ulong, PendingRequest<TReply>> owner, InFlightLimiter? slots, ulong tag, TimeSpan timeout, long now)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _owner = owner;
        _slots = slots;
        Tag = tag;
        Timeout = timeout;
        Deadline = timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : now + (long)timeout.TotalMilliseconds;
    }

    /// <summary>The request's tag.</summary>
    public ulong Tag { get; }

    /// <summary>How long the request may wait.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>When it times out, in milliseconds of its table's clock.</summary>
    public long Deadline { get; }

    /// <summary>Hands over the reply.</summary>
    /// <param name="reply">The reply.</param>
    public void Complete(TReply reply)
    {
        _registration.Dispose();
        _slots?.Release();
        TrySetResult(reply);
    }

    /// <summary>Fails the request.</summary>
    /// <param name="error">Why.</param>
    public void Fail(Exception error)
    {
        _registration.Dispose();
        _slots?.Release();
        TrySetException(error);
    }

    internal void Register(CancellationToken ct) =>
        _registration = ct.UnsafeRegister(static (state, token) => ((PendingRequest<TReply>)state!).Cancel(token), this);

    private void Cancel(CancellationToken token)
    {
        if (_owner.TryRemove(new KeyValuePair<ulong, PendingRequest<TReply>>(Tag, this)))
        {
            _slots?.Release();
            TrySetCanceled(token);
        }
    }
}
