
namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.flags</c>.</summary>
/// <param name="Messages">Each message's flags after the change.</param>
public sealed record MessageFlagsReply(IReadOnlyList<FlagStateDto> Messages) : OkReply;
