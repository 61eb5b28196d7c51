
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>filter.register</c> (protocol/filter.md).</summary>
/// <param name="Name">The filter's name.</param>
/// <param name="Stages">The stages it receives.</param>
/// <param name="Claims">Every address it claims.</param>
/// <param name="TimeoutSeconds">Its timeout per message.</param>
/// <param name="OnFailure">Its failure policy.</param>
public sealed record FilterRegisterReply(string Name, IReadOnlyList<string> Stages, IReadOnlyList<string> Claims, double TimeoutSeconds, string OnFailure) : OkReply;
