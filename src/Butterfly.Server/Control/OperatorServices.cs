using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>What the operator commands work on: the daemon's, or a store the CLI opened itself.</summary>
/// <param name="Options">The configuration (served domains among others).</param>
/// <param name="Store">The store.</param>
/// <param name="Logger">Where operator actions are logged.</param>
/// <param name="QueueChanged">Wakes the queue workers after a change (a no-op when no daemon runs).</param>
internal sealed record OperatorServices(ButterflyOptions Options, IMailStore Store, ILogger Logger, Action QueueChanged)
{
    /// <summary>The running daemon's state for <c>status</c>; null when no daemon runs (<see cref="DirectControl"/>).</summary>
    public ServerStatus? Status { get; init; }
}
