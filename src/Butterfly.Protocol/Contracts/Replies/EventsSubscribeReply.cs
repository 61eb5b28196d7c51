namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>events.subscribe</c>.</summary>
/// <param name="State">The account's state when the subscription started: events follow for every change after it.</param>
/// <param name="Kinds">The kinds subscribed to.</param>
public sealed record EventsSubscribeReply(long State, IReadOnlyList<string> Kinds) : OkReply;
