namespace Butterfly.Protocol.Contracts;

/// <summary>The client command names (protocol/client.md), as they appear in <c>"cmd"</c>.</summary>
public static class Commands
{
    public const string Hello = "hello";
    public const string Register = "register";
    public const string Login = "login";
    public const string Logout = "logout";
    public const string Ping = "ping";
    public const string FolderList = "folder.list";
    public const string FolderCreate = "folder.create";
    public const string FolderRename = "folder.rename";
    public const string FolderDelete = "folder.delete";
    public const string MessageList = "message.list";
    public const string MessageFetch = "message.fetch";
    public const string MessageStore = "message.store";
    public const string MessageReplace = "message.replace";
    public const string MessageMove = "message.move";
    public const string MessageCopy = "message.copy";
    public const string MessageDelete = "message.delete";
    public const string MessageFlags = "message.flags";
    public const string MessageImport = "message.import";
    public const string FolderEmpty = "folder.empty";
    public const string Send = "send";
    public const string Account = "account";
    public const string AccountPasswd = "account.passwd";
    public const string AuthToken = "auth.token";
    public const string AuthRevoke = "auth.revoke";
    public const string MessageView = "message.view";
    public const string MessagePart = "message.part";
    public const string DraftSave = "draft.save";
    public const string MailingListShow = "mailing-list.show";
    public const string MailingListAdd = "mailing-list.add";
    public const string MailingListRemove = "mailing-list.remove";
    public const string MailingListPolicy = "mailing-list.policy";
    public const string EventsSubscribe = "events.subscribe";
    public const string EventsUnsubscribe = "events.unsubscribe";
    public const string Changes = "changes";
    public const string MessageSearch = "message.search";
    public const string ThreadGet = "thread.get";
    public const string ThreadList = "thread.list";
    public const string ScriptPut = "script.put";
    public const string ScriptGet = "script.get";
    public const string ScriptList = "script.list";
    public const string ScriptDelete = "script.delete";
    public const string ScriptLogs = "script.logs";
    public const string ScriptState = "script.state";
    public const string ScriptTest = "script.test";
    public const string PeerAuth = "peer.auth";
    public const string PeerVerify = "peer.verify";
    public const string PeerDeliver = "peer.deliver";

    // Filter socket commands (protocol/filter.md).
    public const string FilterRegister = "filter.register";
    public const string FilterMessage = "filter.message";
    public const string FilterAccount = "filter.account";
    public const string FilterServer = "filter.server";
}
