namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>
/// Answers by (name, type) until they expire, at most a fixed number of them. One lock: lookups are rare
/// next to everything else a mail server does, and each holds the lock only for a dictionary operation.
/// </summary>
internal sealed class DnsCache(int capacity)
{
    private readonly Dictionary<(string Name, DnsRecordType Type), DnsAnswer> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>Entries held, expired ones included until they are next touched.</summary>
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

    public bool TryGet(string name, DnsRecordType type, DateTimeOffset now, out DnsAnswer answer)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((name, type), out answer!))
            {
                if (answer.Expires > now)
                {
                    return true;
                }

                _entries.Remove((name, type));
            }

            return false;
        }
    }

    public void Set(string name, DnsRecordType type, DnsAnswer answer, DateTimeOffset now)
    {
        if (capacity <= 0 || answer.Expires <= now)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Count >= capacity && !_entries.ContainsKey((name, type)))
            {
                MakeRoom(now);
            }

            _entries[(name, type)] = answer;
        }
    }

    /// <summary>Drops every expired entry; when none has expired, drops the one that expires soonest.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        var soonest = default((string, DnsRecordType));
        var soonestExpiry = DateTimeOffset.MaxValue;
        var expired = new List<(string, DnsRecordType)>();
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                expired.Add(key);
            }
            else if (entry.Expires < soonestExpiry)
            {
                soonestExpiry = entry.Expires;
                soonest = key;
            }
        }

        if (expired.Count == 0)
        {
            _entries.Remove(soonest);
            return;
        }

        foreach (var key in expired)
        {
            _entries.Remove(key);
        }
    }
}
