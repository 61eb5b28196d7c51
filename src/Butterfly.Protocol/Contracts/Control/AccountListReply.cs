
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>user.list</c>.</summary>
/// <param name="Accounts">Every account.</param>
public sealed record AccountListReply(IReadOnlyList<AccountDto> Accounts) : OkReply;
