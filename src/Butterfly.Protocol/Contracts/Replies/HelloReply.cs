using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>
/// The hello reply on every socket (protocol/client.md, filter.md, control.md, "hello"): what the
/// server is and what it allows. Members a socket does not use are left out of the head.
/// </summary>
/// <param name="Version">The protocol version spoken.</param>
/// <param name="Server">The product, version and server name.</param>
/// <param name="Domains">The mail domains served.</param>
/// <param name="Capabilities">What this connection may do (client and filter sockets).</param>
/// <param name="Connection">The connection id dialback keys are bound to (client socket, peer.md).</param>
/// <param name="Limits">The limits a sender must keep to.</param>
/// <param name="DataDirectory">The data folder (control socket).</param>
/// <param name="Commands">The operator commands served (control socket).</param>
public sealed record HelloReply(
    int Version,
    string Server,
    IReadOnlyList<string> Domains,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Capabilities = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Connection = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HelloLimits? Limits = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DataDirectory = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Commands = null) : OkReply;
