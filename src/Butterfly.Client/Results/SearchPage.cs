using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>One page of a <c>message.search</c> reply, newest received first.</summary>
/// <param name="Messages">The matches on this page, each with its folder.</param>
/// <param name="Next">The <c>offset</c> of the next page, or null on the last page.</param>
public sealed record SearchPage(IReadOnlyList<MessageDto> Messages, long? Next);
