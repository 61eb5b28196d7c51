
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>filter.server</c>.</summary>
/// <param name="Name">The server's name.</param>
/// <param name="Domains">Its domains.</param>
/// <param name="Version">Its version.</param>
/// <param name="MaxHops">Hops before a message is refused as a loop.</param>
public sealed record FilterServerReply(string Name, IReadOnlyList<string> Domains, string Version, int MaxHops) : OkReply;
