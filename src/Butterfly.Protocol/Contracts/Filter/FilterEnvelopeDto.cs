
namespace Butterfly.Protocol.Contracts;

/// <summary>The envelope of a <c>filter.message</c>.</summary>
/// <param name="Sender">The envelope sender (empty for a notice).</param>
/// <param name="Recipients">The recipients as they stand in the chain.</param>
/// <param name="Origin"><c>local</c>, <c>peer</c> or <c>filter</c>.</param>
/// <param name="Account">The sending account, for local mail.</param>
/// <param name="Peer">The sending domain, for peer mail.</param>
/// <param name="Hops">Hops so far.</param>
public sealed record FilterEnvelopeDto(string Sender, IReadOnlyList<string> Recipients, string Origin, string? Account, string? Peer, int Hops);
