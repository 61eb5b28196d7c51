namespace Butterfly.Storage;

/// <summary>A content stored before the search index existed, waiting for the background indexer.</summary>
/// <param name="ContentId">The content's id.</param>
/// <param name="Data">Its raw bytes.</param>
public sealed record PendingContent(long ContentId, ReadOnlyMemory<byte> Data);
