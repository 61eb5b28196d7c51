using Butterfly.Server.Delivery;

namespace Butterfly.Server.Queue;

/// <summary>What one delivery attempt of a queue entry came to, before it is recorded.</summary>
/// <param name="Delivered">Recipients the peer took (or a filter dropped): they leave the entry.</param>
/// <param name="Permanent">Recipients that failed for good: bounced now.</param>
/// <param name="Temporary">Recipients to try again, with the reason.</param>
/// <param name="Replied">
/// Whether the peer answered this delivery id. Its answer is recorded under the id on the peer, so
/// recipients left to retry must go under a new id.
/// </param>
internal sealed record AttemptOutcome(
    IReadOnlyList<string> Delivered,
    IReadOnlyList<FailedRecipient> Permanent,
    IReadOnlyList<FailedRecipient> Temporary,
    bool Replied);
