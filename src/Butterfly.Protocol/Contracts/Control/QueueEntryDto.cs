
namespace Butterfly.Protocol.Contracts;

/// <summary>One entry of <c>queue.list</c>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Kind"><c>outbound</c> or <c>inbound</c> (held).</param>
/// <param name="DeliveryId">The id its deliveries carry.</param>
/// <param name="Domain">The destination domain (outbound).</param>
/// <param name="Sender">The envelope sender.</param>
/// <param name="Recipients">Recipients still to deliver.</param>
/// <param name="Size">Message size in bytes.</param>
/// <param name="Created">When it was queued (UTC, ISO 8601).</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="NextAttempt">When it is tried next (UTC, ISO 8601).</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="DelayNotified">Whether the sender got a delay notice.</param>
public sealed record QueueEntryDto(
    long Id,
    string Kind,
    string DeliveryId,
    string? Domain,
    string Sender,
    IReadOnlyList<string> Recipients,
    long Size,
    string Created,
    int Attempts,
    string NextAttempt,
    string? LastError,
    bool DelayNotified);
