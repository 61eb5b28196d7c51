using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Butterfly.Protocol.Connections;

/// <summary>
/// The requests of ours in flight on one <see cref="FrameConnection"/>: each gets the next tag,
/// its reply is matched by tag in whatever order replies come, and it fails on timeout,
/// cancellation or the connection's end. Optionally caps how many are in flight at once.
/// </summary>
/// <typeparam name="TReply">What a reply is decoded into.</typeparam>
public sealed class PendingRequests<TReply> : IDisposable
{
    // The timeout sweep runs this often; a request times out at most this much late.
    private static readonly TimeSpan _sweepInterval = TimeSpan.FromMilliseconds(25);

    private readonly ConcurrentDictionary<ulong, PendingRequest<TReply>> _pending = new();
    private readonly Func<PendingRequest<TReply>, Exception> _timeoutError;
    private readonly Action<PendingRequest<TReply>>? _timedOut;
    private readonly Lock _sweepLock = new();
    private readonly TimeProvider _time;
    private InFlightLimiter? _slots;
    private ITimer? _sweep;
    private Exception? _closeError;
    private long _nextTag;

    /// <summary>Creates an empty table.</summary>
    /// <param name="timeoutError">The exception a request that timed out fails with; a <see cref="TimeoutException"/> naming the tag when null.</param>
    /// <param name="timedOut">Called after a request timed out (for example to drop a connection that has stopped answering).</param>
    /// <param name="time">The clock of the timeouts; the system clock when null.</param>
    public PendingRequests(Func<PendingRequest<TReply>, Exception>? timeoutError = null, Action<PendingRequest<TReply>>? timedOut = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _timeoutError = timeoutError ?? (static p => new TimeoutException(
            $"No reply within {p.Timeout.TotalSeconds:0.###} s (tag {p.Tag})."));
        _timedOut = timedOut;
    }

    /// <summary>Requests waiting for their replies.</summary>
    public int Count => _pending.Count;

    /// <summary>Why the table was closed, or null while it is open.</summary>
    public Exception? CloseError => Volatile.Read(ref _closeError);

    /// <summary>Caps the requests in flight from now on (null or less than 1: no cap). Set it before the first request.</summary>
    /// <param name="limit">The cap.</param>
    public void LimitInFlight(int? limit) => _slots = limit is > 0 ? new InFlightLimiter(limit.Value) : null;

    /// <summary>
    /// Sends a request on <paramref name="connection"/> with the next tag and returns its reply.
    /// The head and body memory must stay unchanged until the task completes.
    /// </summary>
    /// <param name="connection">Where the request goes.</param>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="body">The binary section.</param>
    /// <param name="timeout">How long to wait for the reply (and for an in-flight slot); <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="ct">Stops waiting (the request may still have gone out).</param>
    public Task<TReply> SendAsync(FrameConnection connection, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken ct)
    {
        if (Volatile.Read(ref _closeError) is { } closed)
        {
            return Task.FromException<TReply>(closed);
        }

        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<TReply>(ct);
        }

        var slots = _slots;
        if (slots is not null && !slots.TryEnter())
        {
            return SendWhenSlotFreeAsync(slots, connection, head, body, timeout, ct);
        }

        return Send(slots, connection, head, body, timeout, ct);
    }

    /// <summary>Takes the request a reply with <paramref name="tag"/> answers; false when none waits (timed out, cancelled, or unknown).</summary>
    /// <param name="tag">The reply's tag.</param>
    /// <param name="request">The request, to complete.</param>
    public bool TryTake(ulong tag, [NotNullWhen(true)] out PendingRequest<TReply>? request) => _pending.TryRemove(tag, out request);

    /// <summary>Fails every waiting request and every later one with <paramref name="error"/> (the first error wins).</summary>
    /// <param name="error">Why the connection ended.</param>
    public void FailAll(Exception error)
    {
        Interlocked.CompareExchange(ref _closeError, error, null);
        lock (_sweepLock)
        {
            _sweep?.Dispose();
            _sweep = null;
        }

        FailWaiting();
    }

    /// <inheritdoc/>
    public void Dispose() => FailAll(new ObjectDisposedException(nameof(PendingRequests<TReply>)));

    private async Task<TReply> SendWhenSlotFreeAsync(InFlightLimiter slots, FrameConnection connection, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken ct)
    {
        var started = NowMs();
        if (!await slots.WaitAsync(timeout, ct).ConfigureAwait(false))
        {
            throw new TimeoutException($"The request did not get an in-flight slot within {timeout.TotalSeconds:0.###} s.");
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeout = TimeSpan.FromMilliseconds(Math.Max(1, timeout.TotalMilliseconds - (NowMs() - started)));
        }

        return await Send(slots, connection, head, body, timeout, ct).ConfigureAwait(false);
    }

    /// <summary>Registers and queues one request that holds its in-flight slot (when slots are capped).</summary>
    private Task<TReply> Send(InFlightLimiter? slots, FrameConnection connection, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken ct)
    {
        var tag = (ulong)Interlocked.Increment(ref _nextTag);
        var pending = new PendingRequest<TReply>(_pending, slots, tag, timeout, NowMs());
        _pending[tag] = pending;
        if (ct.CanBeCanceled)
        {
            pending.Register(ct);
        }

        if (pending.Deadline != long.MaxValue)
        {
            EnsureSweep();
        }

        if (!connection.Send(tag, head, body) || Volatile.Read(ref _closeError) is not null)
        {
            // The connection closed while this request was being queued: the close may have swept
            // the table before this entry landed, so fail it here.
            if (_pending.TryRemove(new KeyValuePair<ulong, PendingRequest<TReply>>(tag, pending)))
            {
                pending.Fail(Volatile.Read(ref _closeError) ?? new IOException($"The connection to {connection.Description} is closed."));
            }
        }

        return pending.Task;
    }

    private void EnsureSweep()
    {
        if (Volatile.Read(ref _sweep) is not null)
        {
            return;
        }

        lock (_sweepLock)
        {
            if (_sweep is null && Volatile.Read(ref _closeError) is null)
            {
                _sweep = _time.CreateTimer(static state => ((PendingRequests<TReply>)state!).Sweep(), this, _sweepInterval, _sweepInterval);
            }
        }
    }

    private void Sweep()
    {
        if (_pending.IsEmpty)
        {
            StopIdleSweep();
            return;
        }

        var now = NowMs();
        foreach (var pair in _pending)
        {
            if (pair.Value.Deadline <= now && _pending.TryRemove(pair))
            {
                pair.Value.Fail(_timeoutError(pair.Value));
                _timedOut?.Invoke(pair.Value);
            }
        }
    }

    /// <summary>Stops the sweep while nothing waits, so an idle connection has no timer firing.</summary>
    private void StopIdleSweep()
    {
        lock (_sweepLock)
        {
            var timer = _sweep;
            if (timer is null || !_pending.IsEmpty)
            {
                return;
            }

            // A request added meanwhile saw the timer and did not start one: look again after
            // clearing it, and keep it when something is waiting after all.
            Volatile.Write(ref _sweep, null);
            Interlocked.MemoryBarrier();
            if (_pending.IsEmpty)
            {
                timer.Dispose();
            }
            else
            {
                _sweep = timer;
            }
        }
    }

    private long NowMs() => (long)_time.GetElapsedTime(0, _time.GetTimestamp()).TotalMilliseconds;

    private void FailWaiting()
    {
        var error = Volatile.Read(ref _closeError)!;
        foreach (var pair in _pending)
        {
            if (_pending.TryRemove(pair))
            {
                pair.Value.Fail(error);
            }
        }
    }
}
