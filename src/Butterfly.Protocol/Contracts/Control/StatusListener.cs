namespace Butterfly.Protocol.Contracts;

/// <summary>One listener in a <see cref="StatusReply"/>.</summary>
/// <param name="Name"><c>client</c>, <c>tls</c>, <c>filter</c> or <c>control</c>.</param>
/// <param name="Address">HOST:PORT, or the socket's path.</param>
public sealed record StatusListener(string Name, string Address);
