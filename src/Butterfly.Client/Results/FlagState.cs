namespace Butterfly.Client;

/// <summary>A message's flags after <c>message.flags</c>.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Flags">Its flags now.</param>
/// <param name="ModSeq">The modification sequence of the change.</param>
public sealed record FlagState(long Id, IReadOnlyList<string> Flags, long ModSeq);
