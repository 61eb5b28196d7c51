namespace Butterfly.Storage.Internal;

/// <summary>A message row as the writer reads it before changing it.</summary>
internal readonly record struct MessageRow(long Id, long ContentId, MessageFlags Flags, long Received, long ModSeq);
