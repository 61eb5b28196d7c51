namespace Butterfly.Protocol.Contracts;

/// <summary>A distribution list, the reply to every <c>mailing-list.*</c> command (client and control socket).</summary>
/// <param name="Address">The list's address.</param>
/// <param name="Owner">The owning account.</param>
/// <param name="Policy">Who may post: <c>members</c>, <c>anyone</c> or <c>owner</c>.</param>
/// <param name="Members">The members' addresses, ordered.</param>
public sealed record MailingListReply(string Address, string Owner, string Policy, IReadOnlyList<string> Members) : OkReply;
