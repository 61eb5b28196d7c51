using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>One page of a <c>message.list</c> reply, newest first.</summary>
/// <param name="Folder">The folder listed.</param>
/// <param name="Total">How many messages the folder holds.</param>
/// <param name="Messages">The messages on this page.</param>
/// <param name="Next">The <c>before</c> value for the next page, or null on the last page.</param>
public sealed record MessagePage(string Folder, long Total, IReadOnlyList<MessageDto> Messages, long? Next);
