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
        var metrics = new Option<string?>("--metrics")
        {
            Description = "where /metrics and /healthz listen (metrics.listen; \"\" turns them off)",
            HelpName = "HOST:PORT",
        };
        var web = new Option<string?>("--web")
        {
            Description = "where the web client's page and /ws listen (web.listen; \"\" turns it off)",
            HelpName = "HOST:PORT",
        };
        var command = new Command(
            "serve",
            "run the mail server until SIGINT or SIGTERM (settings from butterfly.json; these options take precedence)")
        {
            o.Config, listen, o.Data, domains, peers, metrics, web,
        };
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            StoreAccess.Args(parse, o) with { Domains = parse.GetValue(domains)! },
            parse.GetValue(listen),
            parse.GetValue(peers)!,
            parse.GetValue(metrics),
            parse.GetValue(web)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, StoreArgs storeArgs, string? listen, string[] peers, string? metrics, string? web)
    {
        var options = ButterflyConfiguration.Load(
            storeArgs.Config,
            new ConfigOverrides(listen, storeArgs.Data, storeArgs.Domains.Count > 0 ? storeArgs.Domains : null) { Peers = peers, MetricsListen = metrics, WebListen = web });
        var endpoints = Listeners(options);

        // Before the host starts: a port in use is one line naming its key, not the host's failure log and a stack trace.
        foreach (var (key, endpoint) in endpoints)
        {
            ListenProbe.ThrowIfInUse(key, endpoint);
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
            // Taken between the probe and the bind: Kestrel's message names the address.
            var (key, endpoint) = endpoints.FirstOrDefault(e => e.Endpoint.Port != 0 && ex.Message.Contains(e.Endpoint.ToString(), StringComparison.Ordinal), endpoints[0]);
            throw ListenProbe.Failure(key, endpoint);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C before the host took over the signal: a clean stop all the same.
            return ExitCodes.Ok;
        }
    }

    // Every TCP address the daemon binds, with the key it comes from (all validated by Load).
    private static List<(string Key, IPEndPoint Endpoint)> Listeners(ButterflyOptions options)
    {
        var endpoints = new List<(string Key, IPEndPoint Endpoint)> { ("listen", options.ParseListen()) };
        if (options.Tls.Listen is not null)
        {
            endpoints.Add(("tls.listen", options.Tls.ParseListen()));
        }

        if (options.Smtp.Listen is not null && ButterflyOptions.TryParseEndPoint(options.Smtp.Listen, out var smtp))
        {
            endpoints.Add(("smtp.listen", smtp));
        }

        if (options.Metrics.Enabled && ButterflyOptions.TryParseEndPoint(options.Metrics.Listen, out var metrics))
        {
            endpoints.Add(("metrics.listen", metrics));
        }

        if (options.Web.Enabled && ButterflyOptions.TryParseEndPoint(options.Web.Listen, out var web))
        {
            endpoints.Add(("web.listen", web));
        }

        return endpoints;
    }
}
