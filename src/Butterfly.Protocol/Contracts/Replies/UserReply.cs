
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>login</c> and <c>register</c>.</summary>
/// <param name="User">The account now logged in.</param>
public sealed record UserReply(string User) : OkReply;
