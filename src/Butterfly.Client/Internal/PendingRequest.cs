using System.Collections.Concurrent;

namespace Butterfly.Client.Internal;

/// <summary>
/// A request that waits for its reply. It is completed exactly once: by the reply, by the
/// timeout sweep, by cancellation, or by the connection failing.
/// </summary>
internal sealed class PendingRequest : TaskCompletionSource<ButterflyReply>
{
    private readonly ConcurrentDictionary<ulong, PendingRequest> _owner;
    private readonly InFlightLimiter? _slots;
    private CancellationTokenRegistration _registration;

    /// <param name="owner">The table of waiting requests; whoever removes this entry completes it.</param>
    /// <param name="slots">The in-flight slot this request holds, released when it completes.</param>
    /// <param name="tag">The request's tag.</param>
    /// <param name="deadline">When it times out.</param>
    public PendingRequest(ConcurrentDictionary<ulong, PendingRequest> owner, InFlightLimiter? slots, ulong tag, long deadline)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _owner = owner;
        _slots = slots;
        Tag = tag;
        Deadline = deadline;
    }

    /// <summary>The request's tag.</summary>
    public ulong Tag { get; }

    /// <summary>When the request times out, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Deadline { get; }

    /// <summary>Fails the request with cancellation when <paramref name="ct"/> fires.</summary>
    public void Register(CancellationToken ct) =>
        _registration = ct.UnsafeRegister(static (state, token) => ((PendingRequest)state!).Cancel(token), this);

    // Complete, Fail and Cancel run only for the caller that removed this entry from the table,
    // so each request gives back its slot exactly once.

    /// <summary>Hands over the reply.</summary>
    public void Complete(ButterflyReply reply)
    {
        _registration.Dispose();
        _slots?.Release();
        TrySetResult(reply);
    }

    /// <summary>Fails the request.</summary>
    public void Fail(Exception error)
    {
        _registration.Dispose();
        _slots?.Release();
        TrySetException(error);
    }

    private void Cancel(CancellationToken token)
    {
        if (_owner.TryRemove(new KeyValuePair<ulong, PendingRequest>(Tag, this)))
        {
            _slots?.Release();
            TrySetCanceled(token);
        }
    }
}
