namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>status</c> (protocol/control.md, "status").</summary>
/// <param name="Version">The daemon's version.</param>
/// <param name="Started">When it started (UTC, ISO 8601).</param>
/// <param name="UptimeSeconds">Seconds since then.</param>
/// <param name="DataDirectory">The data folder it serves.</param>
/// <param name="Listeners">What it listens on.</param>
/// <param name="Sessions">Open connections, by kind.</param>
/// <param name="Queue">Queued messages, by kind.</param>
/// <param name="Store">The database's size on disk.</param>
/// <param name="LastErrors">The latest error log lines, newest last.</param>
public sealed record StatusReply(
    string Version,
    string Started,
    double UptimeSeconds,
    string DataDirectory,
    IReadOnlyList<StatusListener> Listeners,
    StatusSessions Sessions,
    StatusQueue Queue,
    StatusStore Store,
    IReadOnlyList<StatusError> LastErrors) : OkReply;
