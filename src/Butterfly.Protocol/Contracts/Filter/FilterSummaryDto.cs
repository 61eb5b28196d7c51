
namespace Butterfly.Protocol.Contracts;

/// <summary>The summary of a <c>filter.message</c>.</summary>
/// <param name="From">The decoded From field.</param>
/// <param name="To">The To addresses.</param>
/// <param name="Subject">The decoded subject.</param>
/// <param name="MessageId">The Message-ID.</param>
/// <param name="Size">The message's size in bytes.</param>
public sealed record FilterSummaryDto(string? From, IReadOnlyList<string> To, string? Subject, string? MessageId, long Size);
