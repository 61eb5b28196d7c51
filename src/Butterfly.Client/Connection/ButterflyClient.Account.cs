using System.Text.Json;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Typed helpers for the account commands and the lists an account owns.</summary>
public sealed partial class ButterflyClient
{
    private static readonly byte[] _accountHead = HeadWriter.Command(Commands.Account);

    /// <summary>The logged-in account: address, aliases, owned lists, usage and quota (protocol/client.md, "account").</summary>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<AccountInfo> GetAccountAsync(CancellationToken ct = default)
    {
        var head = (await CommandAsync(_accountHead, default, ct)).Head;
        return new AccountInfo(
            ReplyReader.String(head, "address") ?? string.Empty,
            ReplyReader.Strings(head, "aliases"),
            ReplyReader.Strings(head, "lists"),
            ReplyReader.Int64(head, "usage"),
            ReplyReader.NullableInt64(head, "quota"));
    }

    /// <summary>Changes the logged-in account's password; the session stays logged in.</summary>
    /// <param name="oldPassword">The current password.</param>
    /// <param name="newPassword">The new one (at least 8 characters).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException"><c>auth.failed</c> (the current password is wrong) or <c>account.weak-password</c>.</exception>
    public Task ChangePasswordAsync(string oldPassword, string newPassword, CancellationToken ct = default) =>
        CommandAsync(HeadWriter.Build(Commands.AccountPasswd, (oldPassword, newPassword), static (w, s) =>
        {
            w.WriteString("old"u8, s.oldPassword);
            w.WriteString("new"u8, s.newPassword);
        }), default, ct);

    /// <summary>A list the logged-in account owns.</summary>
    /// <param name="list">The list's address.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException"><c>list.not-found</c>, also for a list owned by someone else.</exception>
    public Task<MailingListInfo> GetMailingListAsync(string list, CancellationToken ct = default) =>
        ListCommandAsync(Commands.MailingListShow, list, null, null, ct);

    /// <summary>Adds a member (local or remote) to a list the logged-in account owns.</summary>
    /// <param name="list">The list's address.</param>
    /// <param name="member">The member's address.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<MailingListInfo> AddListMemberAsync(string list, string member, CancellationToken ct = default) =>
        ListCommandAsync(Commands.MailingListAdd, list, member, null, ct);

    /// <summary>Removes a member from a list the logged-in account owns.</summary>
    /// <param name="list">The list's address.</param>
    /// <param name="member">The member's address.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<MailingListInfo> RemoveListMemberAsync(string list, string member, CancellationToken ct = default) =>
        ListCommandAsync(Commands.MailingListRemove, list, member, null, ct);

    /// <summary>Changes who may post to a list the logged-in account owns.</summary>
    /// <param name="list">The list's address.</param>
    /// <param name="policy"><c>members</c>, <c>anyone</c> or <c>owner</c>.</param>
    /// <param name="ct">Cancels the wait.</param>
    public Task<MailingListInfo> SetListPolicyAsync(string list, string policy, CancellationToken ct = default) =>
        ListCommandAsync(Commands.MailingListPolicy, list, null, policy, ct);

    private async Task<MailingListInfo> ListCommandAsync(string command, string list, string? member, string? policy, CancellationToken ct)
    {
        var request = HeadWriter.Build(command, (list, member, policy), static (w, s) =>
        {
            w.WriteString("list"u8, s.list);
            if (s.member is not null)
            {
                w.WriteString("member"u8, s.member);
            }

            if (s.policy is not null)
            {
                w.WriteString("policy"u8, s.policy);
            }
        });
        var head = (await CommandAsync(request, default, ct)).Head;
        return ReadList(head);
    }

    private static MailingListInfo ReadList(JsonElement head) => new(
        ReplyReader.String(head, "address") ?? string.Empty,
        ReplyReader.String(head, "owner") ?? string.Empty,
        ReplyReader.String(head, "policy") ?? string.Empty,
        ReplyReader.Strings(head, "members"));
}
