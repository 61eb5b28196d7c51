
namespace Butterfly.Protocol.Contracts;

/// <summary>An account in a control-socket reply (protocol/control.md): <c>user.add</c>, <c>user.show</c>, <c>user.passwd</c>, <c>user.del</c>.</summary>
/// <param name="Address">The account's address.</param>
/// <param name="Created">When it was created (ISO 8601, round-trip form).</param>
public sealed record AccountReply(string Address, string Created) : OkReply;
