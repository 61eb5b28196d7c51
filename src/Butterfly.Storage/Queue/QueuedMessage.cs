namespace Butterfly.Storage;

/// <summary>A message waiting in the queue (its bytes are read separately).</summary>
/// <param name="Id">The queue id.</param>
/// <param name="Kind">Outbound or held inbound.</param>
/// <param name="DeliveryId">The delivery id.</param>
/// <param name="Domain">The destination domain of an outbound entry.</param>
/// <param name="Sender">The envelope sender.</param>
/// <param name="SenderAccountId">The local sending account, or null.</param>
/// <param name="Recipients">The recipients still to deliver to.</param>
/// <param name="Hops">Pipeline passes made.</param>
/// <param name="Created">When it was queued.</param>
/// <param name="NextAttempt">When it is due.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DelayNotified">Whether the sender was told of a delay.</param>
/// <param name="Size">Size of the message in bytes.</param>
/// <param name="Meta">The owner's JSON.</param>
public sealed record QueuedMessage(
    long Id,
    QueueKind Kind,
    string DeliveryId,
    string? Domain,
    string Sender,
    long? SenderAccountId,
    IReadOnlyList<string> Recipients,
    int Hops,
    DateTimeOffset Created,
    DateTimeOffset NextAttempt,
    int Attempts,
    string? LastError,
    bool DelayNotified,
    long Size,
    string? Meta);
