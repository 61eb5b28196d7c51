namespace Butterfly.Storage;

/// <summary>One content of a delivery and the folders its copies go into.</summary>
/// <param name="Content">The bytes (keep them unchanged until the commit completes).</param>
/// <param name="Summary">Their header fields.</param>
/// <param name="Targets">Where copies go.</param>
public sealed record ContentCopies(ReadOnlyMemory<byte> Content, ContentSummary Summary, IReadOnlyList<DeliveryTarget> Targets);
