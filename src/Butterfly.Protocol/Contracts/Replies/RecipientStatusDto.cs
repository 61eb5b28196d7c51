
namespace Butterfly.Protocol.Contracts;

/// <summary>One recipient of a <c>send</c>: <c>delivered</c>, <c>queued</c>, <c>held</c>, ...</summary>
/// <param name="Address">The recipient.</param>
/// <param name="Status">What happened (protocol/client.md, "send").</param>
public sealed record RecipientStatusDto(string Address, string Status);
