namespace Butterfly.Server.Events;

/// <summary>
/// One session's subscription: which kinds it wants, and its bound. An event counts against the bound
/// from the moment it is queued on the connection until it has been written to the socket, so a client
/// that stops reading reaches the bound (its socket buffers fill) and is then cut off with one
/// <c>events.overflow</c> instead of holding memory or slowing the hub.
/// </summary>
internal sealed class EventSubscriber : IDisposable
{
    private readonly Func<ReadOnlyMemory<byte>, IDisposable?, bool> _send;
    private readonly int _maxQueued;
    private int _queued;
    private int _ended;

    /// <param name="accountId">The account whose events it gets.</param>
    /// <param name="kinds">The kinds it asked for.</param>
    /// <param name="maxQueued">Events that may wait unwritten before the overflow.</param>
    /// <param name="send">Queues a tag-0 frame on the session's connection (false when it no longer writes); the lease is disposed once written or dropped.</param>
    public EventSubscriber(long accountId, EventKinds kinds, int maxQueued, Func<ReadOnlyMemory<byte>, IDisposable?, bool> send)
    {
        AccountId = accountId;
        Kinds = kinds;
        _maxQueued = maxQueued;
        _send = send;
    }

    /// <summary>The account.</summary>
    public long AccountId { get; }

    /// <summary>The kinds subscribed to.</summary>
    public EventKinds Kinds { get; }

    /// <summary>True once it overflowed or was cancelled: it takes no more events.</summary>
    public bool Ended => Volatile.Read(ref _ended) != 0;

    /// <summary>Events queued on the connection and not yet written.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Queues one event unless the session did not ask for its kind. Past the bound the session gets
    /// <paramref name="overflow"/> instead, once, and nothing after it.
    /// </summary>
    /// <returns>False once the subscription has ended (the hub drops it).</returns>
    public bool Offer(EventKinds kind, ReadOnlyMemory<byte> head, Func<ReadOnlyMemory<byte>> overflow)
    {
        if (Ended)
        {
            return false;
        }

        if ((Kinds & kind) == 0)
        {
            return true;
        }

        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            End(overflow());
            return false;
        }

        if (!_send(head, new Written(this)))
        {
            Volatile.Write(ref _ended, 1);
            return false;
        }

        return true;
    }

    /// <summary>Ends the subscription with <paramref name="overflow"/> as its last frame, unless it has ended already.</summary>
    public void End(ReadOnlyMemory<byte> overflow)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _send(overflow, null);
        }
    }

    /// <summary>Ends the subscription: nothing more is sent.</summary>
    public void Dispose() => Volatile.Write(ref _ended, 1);

    /// <summary>Released by the connection once the frame is written (or dropped).</summary>
    private sealed class Written(EventSubscriber owner) : IDisposable
    {
        private EventSubscriber? _owner = owner;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _owner, null) is { } subscriber)
            {
                Interlocked.Decrement(ref subscriber._queued);
            }
        }
    }
}
