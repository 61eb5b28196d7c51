using System.Collections.Frozen;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Server.Control;

/// <summary>
/// The control socket's own command table: operator commands only. Nothing here is in the client
/// table (<see cref="Commands.CommandTable"/>), so a TCP connection gets <c>request.unknown-command</c>
/// for every one of them, logged in or not.
/// </summary>
internal static class ControlCommandTable
{
    private static readonly FrozenDictionary<string, ControlHandler> _commands = new Dictionary<string, ControlHandler>
    {
        [Names.Hello] = ControlHello.Handle,
        [Names.UserAdd] = UserCommands.AddAsync,
        [Names.UserList] = UserCommands.ListAsync,
        [Names.UserShow] = UserCommands.ShowAsync,
        [Names.UserPasswd] = UserCommands.PasswdAsync,
        [Names.UserDel] = UserCommands.DeleteAsync,
        [Names.QueueList] = QueueCommands.ListAsync,
        [Names.QueueRetry] = QueueCommands.RetryAsync,
        [Names.QueueDrop] = QueueCommands.DropAsync,
        [Names.QuotaShow] = QuotaCommands.ShowAsync,
        [Names.QuotaSet] = QuotaCommands.SetAsync,
        [Names.AliasAdd] = AliasCommands.AddAsync,
        [Names.AliasList] = AliasCommands.ListAsync,
        [Names.AliasDel] = AliasCommands.DeleteAsync,
        [Names.ListCreate] = ListCommands.CreateAsync,
        [Names.ListAdd] = ListCommands.AddAsync,
        [Names.ListRemove] = ListCommands.RemoveAsync,
        [Names.ListShow] = ListCommands.ShowAsync,
        [Names.ListPolicy] = ListCommands.PolicyAsync,
        [Names.ListDelete] = ListCommands.DeleteAsync,
        [Names.ScriptAllow] = ScriptControlCommands.AllowAsync,
        [Names.ScriptDisallow] = ScriptControlCommands.DisallowAsync,
        [Names.ScriptAddresses] = ScriptControlCommands.ListAsync,
        [Names.Status] = StatusCommand.HandleAsync,
        [Names.BackupSnapshot] = BackupCommand.SnapshotAsync,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Finds a command by name.</summary>
    /// <param name="name">The <c>cmd</c> value.</param>
    /// <param name="handler">The handler, when known.</param>
    public static bool TryGet(string name, out ControlHandler handler) => _commands.TryGetValue(name, out handler!);
}
