using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Users;
using Butterfly.Server;
using Butterfly.Server.Configuration;
using Butterfly.Storage;

namespace Butterfly.Cli.Serve;

/// <summary><c>butterfly serve</c>: runs the daemon.</summary>
internal static class ServeCommand
{
    public static CommandDefinition Definition { get; } = new()
    {
        Name = "serve",
        Summary = "run the mail server",
        Description = "Runs the mail server until SIGINT or SIGTERM, then finishes in-flight requests and\n"
            + "exits. Settings come from butterfly.json (./butterfly.json unless --config) with the\n"
            + "options below taking precedence.",
        Options =
        [
            StoreAccess.Config,
            OptionSpec.Value("listen", "HOST:PORT", "the address to listen on (port 0: any free port)"),
            StoreAccess.Data,
            OptionSpec.List("domain", "NAME", "a mail domain to serve (repeatable; replaces the configured list)"),
            OptionSpec.List("peer", "DOMAIN=HOST:PORT", "where the server of a remote domain listens (repeatable; added to the peers map)"),
        ],
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandContext context, ParsedArguments args)
    {
        var domains = args.Values("domain");
        var options = ButterflyConfiguration.Load(
            args.Value("config"),
            new ConfigOverrides(args.Value("listen"), args.Value("data"), domains.Count > 0 ? domains : null) { Peers = args.Values("peer") });
        try
        {
            return await ButterflyServer.RunAsync(options, context.CancellationToken);
        }
        catch (StoreException ex)
        {
            throw new CliFailure("store", ex.Message);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C before the host took over the signal: a clean stop all the same.
            return CliApp.ExitOk;
        }
    }
}
