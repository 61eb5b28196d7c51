namespace Butterfly.Storage;

/// <summary>A message to put in the queue.</summary>
/// <param name="Kind">Outbound or held inbound.</param>
/// <param name="DeliveryId">The id that makes the delivery happen once (unique across the queue).</param>
/// <param name="Domain">The destination domain of an outbound entry.</param>
/// <param name="Sender">The envelope sender (empty for notices).</param>
/// <param name="SenderAccountId">The local sending account, which gets bounces; null when none.</param>
/// <param name="Recipients">The recipients still to deliver to.</param>
/// <param name="Hops">Pipeline passes the message has made.</param>
/// <param name="NextAttempt">When to try first.</param>
/// <param name="Content">The message bytes (stored once, shared with every entry and message copy of the same bytes).</param>
/// <param name="Meta">Free JSON for the queue's owner (origin details and the like).</param>
public sealed record QueueEntry(
    QueueKind Kind,
    string DeliveryId,
    string? Domain,
    string Sender,
    long? SenderAccountId,
    IReadOnlyList<string> Recipients,
    int Hops,
    DateTimeOffset NextAttempt,
    ReadOnlyMemory<byte> Content,
    string? Meta = null);
