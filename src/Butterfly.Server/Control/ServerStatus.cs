using Butterfly.Protocol.Contracts;
using Butterfly.Server.Filters;
using Butterfly.Server.Sessions;

namespace Butterfly.Server.Control;

/// <summary>What <c>status</c> reports about the running daemon besides its store: start time, listeners, sessions, recent errors.</summary>
/// <param name="sessions">The open client and peer sessions.</param>
/// <param name="filters">The filter connections.</param>
/// <param name="errors">The latest error log lines.</param>
internal sealed class ServerStatus(SessionRegistry sessions, FilterRegistry filters, RecentErrorLog errors)
{
    /// <summary>When the daemon started.</summary>
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>What it listens on; set once the listeners are bound.</summary>
    public IReadOnlyList<StatusListener> Listeners { get; set; } = [];

    /// <summary>Open connections by kind.</summary>
    public StatusSessions Sessions()
    {
        var (clients, peers, waiting) = sessions.CountByKind();
        return new StatusSessions(clients, peers, waiting, filters.OpenCount);
    }

    /// <summary>The latest error log lines, oldest first.</summary>
    public IReadOnlyList<StatusError> LastErrors => errors.Latest;
}
