namespace Butterfly.Protocol.Contracts;

/// <summary>Open connections by kind, in a <see cref="StatusReply"/>.</summary>
/// <param name="Clients">Logged in as an account.</param>
/// <param name="Peers">Authenticated peer servers.</param>
/// <param name="Unauthenticated">Not logged in yet.</param>
/// <param name="Filters">Filter daemons on the filter socket.</param>
public sealed record StatusSessions(int Clients, int Peers, int Unauthenticated, int Filters);
