using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Sessions;

/// <summary>
/// The open sessions: admits a new one against the connection limits (in total, per source address,
/// and for connections not yet logged in), and sweeps for sessions past the login deadline or the
/// idle timeout (one timer for the whole server rather than one per connection).
/// </summary>
internal sealed class SessionRegistry : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Session, Slot> _sessions = [];
    private readonly Dictionary<SourceKey, int> _perSource = [];
    private LimitOptions _limits;
    private int _unauthenticatedCap;
    private readonly Timer _sweeper;
    private TaskCompletionSource? _empty;

    // Sessions in the table (evicted ones included, until they end), and those counted against the limits.
    private int _count;
    private int _admitted;

    // Admission order, for "oldest": connection start times tie at the clock's millisecond.
    private long _admissions;

    public SessionRegistry(LimitOptions limits)
    {
        _limits = limits;
        _unauthenticatedCap = Math.Max(1, (int)(limits.MaxConnections * limits.MaxUnauthenticatedShare));
        var period = TimeSpan.FromMilliseconds(Math.Clamp(limits.LoginTimeoutSeconds * 1000 / 4, 50, 1000));
        _sweeper = new Timer(_ => Sweep(), null, period, period);
    }

    /// <summary>Open sessions.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Admits a session unless its source has reached <c>limits.maxConnectionsPerAddress</c>. When every
    /// slot is taken, or connections not logged in hold <c>limits.maxUnauthenticatedShare</c> of them,
    /// the oldest idle one not logged in from the source with the most such connections is closed
    /// (<c>server.busy</c>) to make room; when there is none to close, the new session is refused.
    /// </summary>
    /// <param name="session">The new session (not logged in).</param>
    /// <param name="source">Where it comes from.</param>
    /// <param name="refusal">Why it was refused, for the <c>server.busy</c> frame and the log.</param>
    public bool TryAdd(Session session, SourceKey source, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? refusal)
    {
        Session? evicted = null;
        lock (_lock)
        {
            _perSource.TryGetValue(source, out var fromSource);
            if (fromSource >= _limits.MaxConnectionsPerAddress)
            {
                refusal = $"Too many connections from {source} (at most {_limits.MaxConnectionsPerAddress}); try again later.";
                return false;
            }

            if (_admitted >= _limits.MaxConnections
                || (_admitted >= _unauthenticatedCap && CountUnauthenticated() >= _unauthenticatedCap))
            {
                evicted = FindEvictable();
                if (evicted is null)
                {
                    refusal = $"The server has too many connections ({_limits.MaxConnections}); try again later.";
                    return false;
                }

                var slot = _sessions[evicted];
                slot.Evicted = true;
                Release(slot.Source);
            }

            _sessions.Add(session, new Slot(source, ++_admissions));
            _perSource[source] = fromSource + 1;
            _admitted++;
            Volatile.Write(ref _count, _count + 1);
        }

        // Outside the lock: closing sends a frame.
        evicted?.Close(ErrorCode.ServerBusy);
        refusal = null;
        return true;
    }

    /// <summary>Forgets a session that has ended.</summary>
    /// <param name="session">The session.</param>
    public void Remove(Session session)
    {
        bool empty;
        lock (_lock)
        {
            if (!_sessions.Remove(session, out var slot))
            {
                return;
            }

            if (!slot.Evicted)
            {
                Release(slot.Source);
            }

            Volatile.Write(ref _count, _count - 1);
            empty = _count == 0;
        }

        if (empty)
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
        foreach (var session in Snapshot())
        {
            session.Close(reason);
        }
    }

    /// <summary>Open sessions by kind, for <c>butterfly status</c>: logged in as an account, as a peer, not yet.</summary>
    public (int Clients, int Peers, int Unauthenticated) CountByKind()
    {
        int clients = 0, peers = 0, waiting = 0;
        foreach (var session in Snapshot())
        {
            if (session.Account is not null)
            {
                clients++;
            }
            else if (session.PeerDomain is not null)
            {
                peers++;
            }
            else
            {
                waiting++;
            }
        }

        return (clients, peers, waiting);
    }

    /// <summary>Takes reloaded limits (SIGHUP): new connections are admitted against them; the sweep period stays.</summary>
    /// <param name="limits">The new limits section.</param>
    public void ApplyLimits(LimitOptions limits)
    {
        lock (_lock)
        {
            _limits = limits;
            _unauthenticatedCap = Math.Max(1, (int)(limits.MaxConnections * limits.MaxUnauthenticatedShare));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _sweeper.Dispose();

    private static bool IsWaitingForLogin(Session session) => session.Account is null && session.PeerDomain is null;

    private void Release(SourceKey source)
    {
        _admitted--;
        var left = _perSource[source] - 1;
        if (left == 0)
        {
            _perSource.Remove(source);
        }
        else
        {
            _perSource[source] = left;
        }
    }

    private int CountUnauthenticated()
    {
        var count = 0;
        foreach (var (session, slot) in _sessions)
        {
            if (!slot.Evicted && IsWaitingForLogin(session))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The oldest idle session not logged in, from the source with the most of them: a flood pays
    /// for itself first. A login being checked is never cut off.
    /// </summary>
    private Session? FindEvictable()
    {
        var bySource = new Dictionary<SourceKey, (int Count, Session Oldest, long Order)>();
        foreach (var (session, slot) in _sessions)
        {
            if (slot.Evicted || !IsWaitingForLogin(session) || session.InFlight > 0)
            {
                continue;
            }

            bySource[slot.Source] = bySource.TryGetValue(slot.Source, out var known)
                ? (known.Count + 1, slot.Order < known.Order ? session : known.Oldest, Math.Min(slot.Order, known.Order))
                : (1, session, slot.Order);
        }

        Session? victim = null;
        var most = 0;
        var victimOrder = long.MaxValue;
        foreach (var (count, oldest, order) in bySource.Values)
        {
            if (count > most || (count == most && order < victimOrder))
            {
                most = count;
                victim = oldest;
                victimOrder = order;
            }
        }

        return victim;
    }

    private Session[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _sessions.Keys];
        }
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        var login = (long)(_limits.LoginTimeoutSeconds * 1000);
        var idle = (long)(_limits.IdleTimeoutSeconds * 1000);
        foreach (var session in Snapshot())
        {
            // A login the server is still hashing does not count against the deadline.
            var lateLogin = IsWaitingForLogin(session) && session.InFlight == 0 && now - session.Started > login;
            var isIdle = session.InFlight == 0 && now - session.LastActivity > idle;
            if (lateLogin || isIdle)
            {
                session.Close(ErrorCode.SessionTimeout);
            }
        }
    }

    private sealed class Slot(SourceKey source, long order)
    {
        public SourceKey Source { get; } = source;

        public long Order { get; } = order;

        public bool Evicted { get; set; }
    }
}
