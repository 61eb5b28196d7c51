namespace Butterfly.Storage;

/// <summary>The flags of a message after a change.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Flags">The flags now.</param>
/// <param name="ModSeq">Modification sequence of the message's last change.</param>
public sealed record FlagChange(long Id, MessageFlags Flags, long ModSeq);
