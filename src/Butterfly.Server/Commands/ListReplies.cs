using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Commands;

/// <summary>What the client and the control socket's <c>mailing-list.*</c> commands share: policy names and the reply.</summary>
internal static class ListReplies
{
    /// <summary>The policy names on the wire, in <see cref="ListPolicy"/> order.</summary>
    public static string Name(ListPolicy policy) => policy switch
    {
        ListPolicy.Anyone => "anyone",
        ListPolicy.Owner => "owner",
        _ => "members",
    };

    /// <summary>Reads the optional <c>policy</c> field (default <c>members</c>).</summary>
    public static bool TryPolicy(System.Text.Json.JsonElement head, out ListPolicy policy, out Reply error)
    {
        policy = ListPolicy.Members;
        if (!Fields.TryString(head, "policy", out var text, out error, required: false, fallback: "members"))
        {
            return false;
        }

        switch (text.ToLowerInvariant())
        {
            case "members":
                policy = ListPolicy.Members;
                return true;
            case "anyone":
                policy = ListPolicy.Anyone;
                return true;
            case "owner":
                policy = ListPolicy.Owner;
                return true;
            default:
                error = Fields.Invalid("policy", "\"members\", \"anyone\" or \"owner\"");
                return false;
        }
    }

    /// <summary>The list as a reply, or the store's failure.</summary>
    public static Reply Of(StoreResult<MailingList> result) => result.Ok ? Of(result.Value!) : StoreErrors.Fail(result);

    /// <summary>The list as a reply.</summary>
    public static Reply Of(MailingList list) =>
        JsonReply.Ok(new MailingListReply(list.Address, list.Owner, Name(list.Policy), list.Members), ProtocolJson.Default.MailingListReply);

    /// <summary><c>list.not-found</c> naming the address.</summary>
    public static Reply NotFound(string address) => Reply.Fail(ErrorCode.ListNotFound, $"No such list: {address}");
}
