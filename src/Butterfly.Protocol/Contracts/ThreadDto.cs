namespace Butterfly.Protocol.Contracts;

/// <summary>One conversation in a <c>thread.list</c> reply.</summary>
/// <param name="Thread">The thread's id in the account.</param>
/// <param name="Messages">How many of its messages are in the folder.</param>
/// <param name="Unseen">How many of those are unseen.</param>
/// <param name="Latest">Its newest message in the folder.</param>
public sealed record ThreadDto(long Thread, long Messages, long Unseen, MessageDto Latest);
