using System.CommandLine;
using System.Net.Sockets;
using Butterfly.Client;
using Butterfly.Server.Configuration;
using Butterfly.Storage;

namespace Butterfly.Cli.Commands;

/// <summary>
/// Binds a command to its action and turns the action's failures into one error line (or JSON
/// object) on stderr and an exit code: 1 for a refusal by the server or the system, 2 for a usage
/// error only the action could see, 130 for Ctrl+C.
/// </summary>
internal static class CliAction
{
    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="run"/>, with the error mapping.</summary>
    public static void Set(Command command, CommandContext context, CommonOptions options, Func<ParseResult, Task<int>> run) =>
        command.SetAction(async (parse, _) =>
        {
            var json = parse.GetValue(options.Json);
            try
            {
                if (Values.StrayOption(parse) is { } stray)
                {
                    throw new UsageException(Values.Unrecognized(stray));
                }

                return await run(parse);
            }
            catch (UsageException ex)
            {
                await ErrorOutput.WriteAsync(context.Error, json, ErrorOutput.UsageCode, ex.Message);
                if (!json)
                {
                    await context.Error.WriteLineAsync($"see: butterfly {CliApp.CommandPath(parse.CommandResult)} --help");
                }

                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                await ErrorOutput.WriteAsync(context.Error, json, "cancelled", "interrupted.");
                return ExitCodes.Interrupted;
            }
            catch (Exception ex) when (Describe(ex) is var (code, message))
            {
                await ErrorOutput.WriteAsync(context.Error, json, code, message);
                return ExitCodes.Failure;
            }
        });

    /// <summary>The code and message of a failure the CLI reports, or null for a bug (which propagates).</summary>
    private static (string Code, string Message)? Describe(Exception ex) => ex switch
    {
        ButterflyException e => (e.Code, e.Message),
        ButterflyConnectionException e => (e.Code ?? "connection", e.ServerMessage ?? e.Message),
        CliFailure e => (e.Code, e.Message),
        ConfigurationException e => ("config", e.Message),
        TimeoutException e => ("timeout", e.Message),

        // A second daemon on a data folder one already serves.
        DataFolderInUseException e => ("data.in-use", e.Message),
        IOException or SocketException or UnauthorizedAccessException => ("io", ex.Message),
        _ => null,
    };
}
