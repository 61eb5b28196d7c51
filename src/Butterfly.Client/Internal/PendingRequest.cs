using System.Collections.Concurrent;

namespace Butterfly.Client.Internal;

/// <summary>
/// A request that waits for its reply. It is completed exactly once: by the reply, by the
/// timeout sweep, by cancellation, or by the connection failing.
/// </summary>
internal sealed class PendingRequest : TaskCompletionSource<ButterflyReply>
{
    private readonly ConcurrentDictionary<ulong, PendingRequest> _owner;
    private CancellationTokenRegistration _registration;

    public PendingRequest(ConcurrentDictionary<ulong, PendingRequest> owner, ulong tag, long deadline)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _owner = owner;
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

    /// <summary>Hands over the reply.</summary>
    public void Complete(ButterflyReply reply)
    {
        _registration.Dispose();
        TrySetResult(reply);
    }

    /// <summary>Fails the request.</summary>
    public void Fail(Exception error)
    {
        _registration.Dispose();
        TrySetException(error);
    }

    private void Cancel(CancellationToken token)
    {
        if (_owner.TryRemove(new KeyValuePair<ulong, PendingRequest>(Tag, this)))
        {
            TrySetCanceled(token);
        }
    }
}
