using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;

namespace Butterfly.Server.Smtp;

/// <summary>
/// The open SMTP connections, counted per source address (an IPv4 address or an IPv6 /64, as for
/// client sessions) against <c>limits.maxConnectionsPerAddress</c>, and in all against
/// <c>limits.maxConnections</c>. SMTP connections are counted apart from client and peer sessions:
/// one busy MX neighbour must not lock its users out of their mail.
/// </summary>
internal sealed class SmtpConnections
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SourceKey, int> _perSource = [];
    private readonly LimitOptions _limits;
    private int _count;

    public SmtpConnections(LimitOptions limits) => _limits = limits;

    /// <summary>Open connections.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Admits a connection from <paramref name="source"/>, or says why not.</summary>
    public bool TryAdd(SourceKey source, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? refusal)
    {
        lock (_lock)
        {
            _perSource.TryGetValue(source, out var fromSource);
            if (fromSource >= _limits.MaxConnectionsPerAddress)
            {
                refusal = $"Too many connections from {source} (at most {_limits.MaxConnectionsPerAddress}); try again later";
                return false;
            }

            if (_count >= _limits.MaxConnections)
            {
                refusal = $"Too many connections ({_limits.MaxConnections}); try again later";
                return false;
            }

            _perSource[source] = fromSource + 1;
            _count++;
        }

        refusal = null;
        return true;
    }

    /// <summary>Forgets a connection that has ended.</summary>
    public void Remove(SourceKey source)
    {
        lock (_lock)
        {
            if (!_perSource.TryGetValue(source, out var fromSource))
            {
                return;
            }

            if (fromSource <= 1)
            {
                _perSource.Remove(source);
            }
            else
            {
                _perSource[source] = fromSource - 1;
            }

            _count--;
        }
    }
}
