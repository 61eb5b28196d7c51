using System.Collections.Frozen;
using Wire = Butterfly.Protocol.Contracts.Commands;

namespace Butterfly.Server.Commands;

/// <summary>Every client command and its place in the session state table.</summary>
internal static class CommandTable
{
    private static readonly FrozenDictionary<string, CommandDescriptor> _commands = new CommandDescriptor[]
    {
        new(Wire.Hello, SessionCommands.HelloAsync, CommandAccess.Always),
        new(Wire.Login, SessionCommands.LoginAsync, CommandAccess.Anonymous, IsBarrier: true),
        new(Wire.Register, SessionCommands.RegisterAsync, CommandAccess.Anonymous, IsBarrier: true),
        new(Wire.Logout, SessionCommands.LogoutAsync, CommandAccess.UserOrPeer, IsBarrier: true),
        new(Wire.Ping, SessionCommands.PingAsync, CommandAccess.UserOrPeer),
        new(Wire.FolderList, FolderCommands.ListAsync, CommandAccess.Authenticated),
        new(Wire.FolderCreate, FolderCommands.CreateAsync, CommandAccess.Authenticated),
        new(Wire.FolderRename, FolderCommands.RenameAsync, CommandAccess.Authenticated),
        new(Wire.FolderDelete, FolderCommands.DeleteAsync, CommandAccess.Authenticated),
        new(Wire.MessageList, MessageCommands.ListAsync, CommandAccess.Authenticated),
        new(Wire.MessageFetch, MessageCommands.FetchAsync, CommandAccess.Authenticated),
        new(Wire.MessageStore, MessageWriteCommands.StoreAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Wire.MessageReplace, MessageWriteCommands.ReplaceAsync, CommandAccess.Authenticated, TakesBody: true),
        new(Wire.MessageMove, MessageCommands.MoveAsync, CommandAccess.Authenticated),
        new(Wire.MessageCopy, MessageCommands.CopyAsync, CommandAccess.Authenticated),
        new(Wire.MessageDelete, MessageCommands.DeleteAsync, CommandAccess.Authenticated),
        new(Wire.MessageFlags, MessageCommands.FlagsAsync, CommandAccess.Authenticated),
        new(Wire.Send, SendCommand.SendAsync, CommandAccess.Authenticated, TakesBody: true),

        // peer.md, "Session states".
        new(Wire.PeerAuth, PeerCommands.AuthAsync, CommandAccess.Anonymous, IsBarrier: true),
        new(Wire.PeerVerify, PeerCommands.VerifyAsync, CommandAccess.Anonymous),
        new(Wire.PeerDeliver, PeerCommands.DeliverAsync, CommandAccess.Peer, TakesBody: true),
    }.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Finds a command by name.</summary>
    /// <param name="name">The <c>cmd</c> value.</param>
    /// <param name="descriptor">The command, when known.</param>
    public static bool TryGet(string name, out CommandDescriptor descriptor) => _commands.TryGetValue(name, out descriptor!);
}
