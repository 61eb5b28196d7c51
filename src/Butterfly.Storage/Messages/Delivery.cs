namespace Butterfly.Storage;

/// <summary>One message content stored into one or more folders, atomically.</summary>
/// <param name="Content">The raw bytes; stored once however many targets.</param>
/// <param name="Summary">Header fields.</param>
/// <param name="Targets">Where copies go.</param>
/// <param name="Received">The internal date of every copy.</param>
public sealed record Delivery(ReadOnlyMemory<byte> Content, ContentSummary Summary, IReadOnlyList<DeliveryTarget> Targets, DateTimeOffset Received);
