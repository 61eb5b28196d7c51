using Butterfly.Cli.Bench;
using Butterfly.Cli.Mail;
using Butterfly.Cli.Queue;
using Butterfly.Cli.Serve;
using Butterfly.Cli.Users;

namespace Butterfly.Cli.Commands;

/// <summary>Every command, gathered from the feature folders.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<CommandDefinition> Build() =>
    [
        ServeCommand.Definition,
        .. UserCommands.Definitions,
        RegisterCommand.Definition,
        SendCommand.Definition,
        ListCommand.Definition,
        ReadCommand.Definition,
        .. FolderCommands.Definitions,
        .. MessageCommands.Definitions,
        .. QueueCommands.Definitions,
        .. BenchCommand.Definitions,
    ];
}
