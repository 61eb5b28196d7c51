namespace Butterfly.Storage;

/// <summary>A further content stored by the same commit (for example the sender's own copy when filters changed the recipients' copy).</summary>
/// <param name="Content">The bytes.</param>
/// <param name="Summary">Their header fields.</param>
/// <param name="Targets">Where copies go.</param>
public sealed record ContentCopies(ReadOnlyMemory<byte> Content, ContentSummary Summary, IReadOnlyList<DeliveryTarget> Targets);
