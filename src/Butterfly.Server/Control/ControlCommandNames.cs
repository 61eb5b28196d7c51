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

    /// <summary>Every command, in the order control.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Hello, UserAdd, UserList, UserShow, UserPasswd, UserDel, QueueList, QueueRetry, QueueDrop];
}
