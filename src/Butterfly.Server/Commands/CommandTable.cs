using System.Collections.Frozen;
using Names = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Server.Commands;

/// <summary>Every client command and its place in the session state table.</summary>
internal static class CommandTable
{
    private static readonly FrozenDictionary<string, CommandDescriptor> _commands = new CommandDescriptor[]
    {
        new(Names.Hello, SessionCommands.HelloAsync, CommandAccess.Always),
        new(Names.Login, SessionCommands.LoginAsync, CommandAccess.Anonymous, IsBarrier: true),
        new(Names.Register, SessionCommands.RegisterAsync, CommandAccess.Anonymous, IsBarrier: true),
        new(Names.Logout, SessionCommands.LogoutAsync, CommandAccess.UserOrPeer, IsBarrier: true),
        new(Names.Ping, SessionCommands.PingAsync, CommandAccess.UserOrPeer),
        new(Names.FolderList, FolderCommands.ListAsync, CommandAccess.Authenticated),
        new(Names.FolderCreate, FolderCommands.CreateAsync, CommandAccess.Authenticated),
        new(Names.FolderRename, FolderCommands.RenameAsync, CommandAccess.Authenticated),
        new(Names.FolderDelete, FolderCommands.DeleteAsync, CommandAccess.Authenticated),
        new(Names.MessageList, MessageCommands.ListAsync, CommandAccess.Authenticated),
        new(Names.MessageFetch, MessageCommands.FetchAsync, CommandAccess.Authenticated, LargeReply: true),
        new(Names.MessageView, MessageViewCommands.ViewAsync, CommandAccess.Authenticated, LargeReply: true),
        new(Names.MessagePart, MessageViewCommands.PartAsync, CommandAccess.Authenticated, LargeReply: true),
        new(Names.MessageStore, MessageWriteCommands.StoreAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.MessageReplace, MessageWriteCommands.ReplaceAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.MessageMove, MessageCommands.MoveAsync, CommandAccess.Authenticated),
        new(Names.MessageCopy, MessageCommands.CopyAsync, CommandAccess.Authenticated),
        new(Names.MessageDelete, MessageCommands.DeleteAsync, CommandAccess.Authenticated),
        new(Names.MessageFlags, MessageCommands.FlagsAsync, CommandAccess.Authenticated),
        new(Names.Send, SendCommand.SendAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.DraftSave, DraftCommands.SaveAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.Account, AccountCommands.ShowAsync, CommandAccess.Authenticated),
        new(Names.AccountPasswd, AccountCommands.PasswdAsync, CommandAccess.Authenticated),
        new(Names.AuthToken, TokenCommands.CreateAsync, CommandAccess.Authenticated),
        new(Names.AuthRevoke, TokenCommands.RevokeAsync, CommandAccess.Authenticated),
        new(Names.MailingListShow, MailingListCommands.ShowAsync, CommandAccess.Authenticated),
        new(Names.MailingListAdd, MailingListCommands.AddAsync, CommandAccess.Authenticated),
        new(Names.MailingListRemove, MailingListCommands.RemoveAsync, CommandAccess.Authenticated),
        new(Names.MailingListPolicy, MailingListCommands.PolicyAsync, CommandAccess.Authenticated),
        new(Names.EventsSubscribe, EventCommands.SubscribeAsync, CommandAccess.Authenticated),
        new(Names.EventsUnsubscribe, EventCommands.UnsubscribeAsync, CommandAccess.Authenticated),
        new(Names.Changes, SyncCommands.ChangesAsync, CommandAccess.Authenticated),
        new(Names.MessageSearch, SearchCommands.SearchAsync, CommandAccess.Authenticated),
        new(Names.ThreadGet, SearchCommands.ThreadAsync, CommandAccess.Authenticated),
        new(Names.ThreadList, SearchCommands.ListThreadsAsync, CommandAccess.Authenticated),
        new(Names.ScriptPut, ScriptCommands.PutAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.ScriptGet, ScriptCommands.GetAsync, CommandAccess.Authenticated),
        new(Names.ScriptList, ScriptCommands.ListAsync, CommandAccess.Authenticated),
        new(Names.ScriptDelete, ScriptCommands.DeleteAsync, CommandAccess.Authenticated),
        new(Names.ScriptLogs, ScriptCommands.LogsAsync, CommandAccess.Authenticated),
        new(Names.ScriptState, ScriptCommands.StateAsync, CommandAccess.Authenticated),
        new(Names.ScriptTest, ScriptCommands.TestAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.MessageImport, ImportCommands.ImportAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Names.FolderEmpty, ImportCommands.EmptyAsync, CommandAccess.Authenticated),

        // peer.md, "Session states".
        new(Names.PeerAuth, PeerCommands.AuthAsync, CommandAccess.Anonymous, IsBarrier: true),
        new(Names.PeerVerify, PeerCommands.VerifyAsync, CommandAccess.Anonymous),
        new(Names.PeerDeliver, PeerCommands.DeliverAsync, CommandAccess.Peer, TakesBody: true),
    }.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Finds a command by name.</summary>
    /// <param name="name">The <c>cmd</c> value.</param>
    /// <param name="descriptor">The command, when known.</param>
    public static bool TryGet(string name, out CommandDescriptor descriptor) => _commands.TryGetValue(name, out descriptor!);
}
