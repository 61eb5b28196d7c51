namespace Butterfly.Storage;

/// <summary>A message in a folder, without its bytes.</summary>
/// <param name="Id">Id within the folder.</param>
/// <param name="Folder">Canonical folder name.</param>
/// <param name="Size">Size of the content in bytes.</param>
/// <param name="Flags">Flags.</param>
/// <param name="Received">When the message was stored.</param>
/// <param name="ModSeq">Modification sequence of the message's last change.</param>
/// <param name="Summary">Header fields.</param>
public sealed record MessageItem(long Id, string Folder, long Size, MessageFlags Flags, DateTimeOffset Received, long ModSeq, ContentSummary Summary);
