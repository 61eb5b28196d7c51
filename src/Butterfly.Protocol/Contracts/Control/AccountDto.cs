
namespace Butterfly.Protocol.Contracts;

/// <summary>One account in <c>user.list</c>.</summary>
/// <param name="Address">The account's address.</param>
/// <param name="Created">When it was created (ISO 8601, round-trip form).</param>
public sealed record AccountDto(string Address, string Created);
