namespace Butterfly.Storage;

/// <summary>A folder and its counters.</summary>
/// <param name="Name">Canonical name ('/'-separated path).</param>
/// <param name="Messages">Number of messages.</param>
/// <param name="Unseen">Number of messages without <see cref="MessageFlags.Seen"/>.</param>
/// <param name="NextId">The id the next message stored here will get.</param>
/// <param name="ModSeq">Modification sequence of the folder's last change.</param>
public sealed record FolderInfo(string Name, long Messages, long Unseen, long NextId, long ModSeq);
