using Butterfly.Server.Configuration;

namespace Butterfly.Server.Commands;

/// <summary>
/// Failed logins counted by one kind of key (source address or account), for <see cref="LoginPenalties"/>:
/// the count, when the last one was, and so how long the next attempt must wait. Bounded by
/// <c>loginPenalty.maxTracked</c>; forgotten after <c>loginPenalty.forgetAfterSeconds</c> of quiet.
/// </summary>
/// <typeparam name="TKey">The key.</typeparam>
internal sealed class PenaltyTable<TKey>
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Entry> _entries = [];
    private LoginPenaltyOptions _options;
    private readonly TimeProvider _time;
    private TimeSpan _forget;

    public PenaltyTable(LoginPenaltyOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _forget = TimeSpan.FromSeconds(options.ForgetAfterSeconds);
    }

    /// <summary>Takes reloaded settings (SIGHUP); the failures counted so far are kept.</summary>
    /// <param name="options">The new loginPenalty section.</param>
    public void Apply(LoginPenaltyOptions options)
    {
        lock (_lock)
        {
            _options = options;
            _forget = TimeSpan.FromSeconds(options.ForgetAfterSeconds);
        }
    }

    /// <summary>Keys remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The wait after <paramref name="failures"/> failures: the initial delay doubled per failure after the first, capped.</summary>
    /// <param name="failures">Failures counted.</param>
    public TimeSpan Penalty(int failures)
    {
        if (failures <= 0 || _options.InitialDelaySeconds <= 0)
        {
            return TimeSpan.Zero;
        }

        var seconds = _options.InitialDelaySeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxDelaySeconds));
    }

    /// <summary>How long an attempt for <paramref name="key"/> must still wait (zero when it may go now), and whether it has failures remembered at all.</summary>
    /// <param name="key">The key.</param>
    public (TimeSpan Wait, bool Known) Wait(TKey key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return (TimeSpan.Zero, false);
            }

            var since = _time.GetElapsedTime(entry.LastFailure);
            if (since >= _forget)
            {
                _entries.Remove(key);
                return (TimeSpan.Zero, false);
            }

            var wait = Penalty(entry.Failures) - since;
            return (wait > TimeSpan.Zero ? wait : TimeSpan.Zero, true);
        }
    }

    /// <summary>Counts a failure for <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The failures counted now, and the wait the next attempt will have.</returns>
    public (int Failures, TimeSpan Next) Fail(TKey key)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var failures = _entries.TryGetValue(key, out var entry) && _time.GetElapsedTime(entry.LastFailure, now) < _forget
                ? entry.Failures + 1
                : 1;
            if (failures == 1 && !_entries.ContainsKey(key) && _entries.Count >= _options.MaxTracked)
            {
                Trim(now);
            }

            _entries[key] = new Entry(failures, now);
            return (failures, Penalty(failures));
        }
    }

    /// <summary>Forgets <paramref name="key"/>'s failures (a successful login).</summary>
    /// <param name="key">The key.</param>
    public void Clear(TKey key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>Makes room: what is forgotten anyway goes first, then the quietest quarter.</summary>
    private void Trim(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (_time.GetElapsedTime(entry.LastFailure, now) >= _forget)
            {
                _entries.Remove(key);
            }
        }

        if (_entries.Count < _options.MaxTracked)
        {
            return;
        }

        foreach (var (key, _) in _entries.OrderBy(e => e.Value.LastFailure).Take(Math.Max(1, _entries.Count / 4)).ToList())
        {
            _entries.Remove(key);
        }
    }

    private readonly record struct Entry(int Failures, long LastFailure);
}
