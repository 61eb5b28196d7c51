using System.CommandLine;
using System.Net;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Users;
using Butterfly.Server;
using Butterfly.Server.Configuration;
using Butterfly.Storage;

namespace Butterfly.Cli.Serve;

/// <summary><c>butterfly serve</c>: runs the daemon.</summary>
internal static class ServeCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var listen = new Option<string?>("--listen") { Description = "the address to listen on (port 0: any free port)", HelpName = "HOST:PORT" };
        var domains = StoreAccess.DomainOption("a mail domain to serve (repeatable; replaces the configured list)");
        var peers = new Option<string[]>("--peer")
        {
            Description = "where the server of a remote domain listens (repeatable; added to the peers map)",
            HelpName = "DOMAIN=HOST:PORT",
            DefaultValueFactory = _ => [],
        };
        var command = new Command(
            "serve",
            "run the mail server until SIGINT or SIGTERM (settings from butterfly.json; these options take precedence)")
        {
            o.Config, listen, o.Data, domains, peers,
        };
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            StoreAccess.Args(parse, o) with { Domains = parse.GetValue(domains)! },
            parse.GetValue(listen),
            parse.GetValue(peers)!));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, StoreArgs storeArgs, string? listen, string[] peers)
    {
        var options = ButterflyConfiguration.Load(
            storeArgs.Config,
            new ConfigOverrides(listen, storeArgs.Data, storeArgs.Domains.Count > 0 ? storeArgs.Domains : null) { Peers = peers });
        IPEndPoint[] endpoints = options.Tls.Listen is null ? [options.ParseListen()] : [options.ParseListen(), options.Tls.ParseListen()];

        // Before the host starts: a port in use is one line, not the host's failure log and a stack trace.
        foreach (var endpoint in endpoints)
        {
            ListenProbe.ThrowIfInUse(endpoint);
        }

        try
        {
            return await ButterflyServer.RunAsync(options, context.CancellationToken);
        }
        catch (StoreException ex)
        {
            throw new CliFailure("store", ex.Message);
        }
        catch (IOException ex) when (ListenProbe.InUse(ex))
        {
            // Taken between the probe and the bind.
            throw ListenProbe.Failure(endpoints.Length > 1 && ex.Message.Contains("https://", StringComparison.Ordinal) ? endpoints[1] : endpoints[0]);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C before the host took over the signal: a clean stop all the same.
            return ExitCodes.Ok;
        }
    }
}
