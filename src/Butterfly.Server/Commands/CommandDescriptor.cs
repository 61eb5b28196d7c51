namespace Butterfly.Server.Commands;

/// <summary>How the session treats one command (the state table of protocol/client.md, "Session states").</summary>
/// <param name="Name">The command name.</param>
/// <param name="Handler">The handler.</param>
/// <param name="Access">Which session states may send it.</param>
/// <param name="TakesBody">Whether the command reads the binary section.</param>
/// <param name="IsBarrier">Whether later requests on the connection wait for it (it changes the session's login state).</param>
/// <param name="LargeReply">Whether its answer may carry a whole message: room for one is held in the connection's reply backlog before it runs.</param>
internal sealed record CommandDescriptor(string Name, CommandHandler Handler, CommandAccess Access, bool TakesBody = false, bool IsBarrier = false, bool LargeReply = false);
