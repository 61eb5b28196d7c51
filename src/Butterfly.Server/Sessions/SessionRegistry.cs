using System.Collections.Concurrent;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Sessions;

/// <summary>
/// The open sessions: enforces the connection limit, and sweeps for sessions past the login
/// deadline or the idle timeout (one timer for the whole server rather than one per connection).
/// </summary>
internal sealed class SessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<Session, byte> _sessions = new();
    private readonly LimitOptions _limits;
    private readonly Timer _sweeper;
    private TaskCompletionSource? _empty;
    private int _count;

    public SessionRegistry(LimitOptions limits)
    {
        _limits = limits;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(limits.LoginTimeoutSeconds * 1000 / 4, 50, 1000));
        _sweeper = new Timer(_ => Sweep(), null, period, period);
    }

    /// <summary>Open sessions.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Admits a session unless the connection limit is reached.</summary>
    /// <param name="session">The new session.</param>
    public bool TryAdd(Session session)
    {
        if (Interlocked.Increment(ref _count) > _limits.MaxConnections)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _sessions.TryAdd(session, 0);
        return true;
    }

    /// <summary>Forgets a session that has ended.</summary>
    /// <param name="session">The session.</param>
    public void Remove(Session session)
    {
        if (_sessions.TryRemove(session, out _) && Interlocked.Decrement(ref _count) == 0)
        {
            Volatile.Read(ref _empty)?.TrySetResult();
        }
    }

    /// <summary>Completes once no session is open (at once when none is).</summary>
    public Task WhenEmptyAsync()
    {
        while (true)
        {
            var empty = Volatile.Read(ref _empty);
            if (empty is null || (empty.Task.IsCompleted && Count > 0))
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (Interlocked.CompareExchange(ref _empty, created, empty) != empty)
                {
                    continue;
                }

                empty = created;
            }

            // Checked after the signal is published, so a session ending in between is not missed.
            if (Count == 0)
            {
                empty.TrySetResult();
            }

            return empty.Task;
        }
    }

    /// <summary>Closes every session with the given error frame (shutdown).</summary>
    /// <param name="reason">The error frame's code.</param>
    public void CloseAll(ErrorCode reason)
    {
        foreach (var session in _sessions.Keys)
        {
            session.Close(reason);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _sweeper.Dispose();

    private void Sweep()
    {
        var now = Environment.TickCount64;
        var login = (long)(_limits.LoginTimeoutSeconds * 1000);
        var idle = (long)(_limits.IdleTimeoutSeconds * 1000);
        foreach (var session in _sessions.Keys)
        {
            // A login the server is still hashing does not count against the deadline.
            var lateLogin = session.Account is null && session.PeerDomain is null && session.InFlight == 0 && now - session.Started > login;
            var isIdle = session.InFlight == 0 && now - session.LastActivity > idle;
            if (lateLogin || isIdle)
            {
                session.Close(ErrorCode.SessionTimeout);
            }
        }
    }
}
