namespace Butterfly.Server.Control;

/// <summary>The commands of the control socket (protocol/control.md, "Commands"), and nothing else.</summary>
public static class ControlCommandNames
{
    public const string Hello = "hello";
    public const string UserAdd = "user.add";
    public const string UserList = "user.list";
    public const string UserShow = "user.show";
    public const string UserPasswd = "user.passwd";
    public const string UserDel = "user.del";
    public const string QueueList = "queue.list";
    public const string QueueRetry = "queue.retry";
    public const string QueueDrop = "queue.drop";
    public const string QuotaShow = "quota.show";
    public const string QuotaSet = "quota.set";
    public const string AliasAdd = "alias.add";
    public const string AliasList = "alias.list";
    public const string AliasDel = "alias.del";
    public const string ListCreate = "list.create";
    public const string ListAdd = "list.add";
    public const string ListRemove = "list.remove";
    public const string ListShow = "list.show";
    public const string ListPolicy = "list.policy";
    public const string ListDelete = "list.delete";
    public const string ScriptAllow = "script.allow";
    public const string ScriptDisallow = "script.disallow";
    public const string ScriptAddresses = "script.addresses";
    public const string Status = "status";
    public const string BackupSnapshot = "backup.snapshot";

    /// <summary>Every command, in the order control.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [
            Hello, UserAdd, UserList, UserShow, UserPasswd, UserDel, QueueList, QueueRetry, QueueDrop,
            QuotaShow, QuotaSet, AliasAdd, AliasList, AliasDel, ListCreate, ListAdd, ListRemove, ListShow, ListPolicy, ListDelete,
            ScriptAllow, ScriptDisallow, ScriptAddresses,
            Status, BackupSnapshot,
        ];
}
