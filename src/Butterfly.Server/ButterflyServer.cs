using System.Net;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Filters;
using Butterfly.Server.Listener;
using Butterfly.Server.Sessions;
using Butterfly.Server.Smtp;
using Butterfly.Server.Telemetry;
using Butterfly.Server.Web;
using Butterfly.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server;

/// <summary>The daemon: Kestrel's connection handling inside the generic host, around one mail store.</summary>
public static partial class ButterflyServer
{
    /// <summary>
    /// Opens the store, listens, and serves until <paramref name="cancellationToken"/> fires or the
    /// process gets SIGTERM or SIGINT. Prints <c>butterfly: listening on HOST:PORT</c> once listening.
    /// On shutdown, in-flight requests are answered and the store's pending writes are committed
    /// before it returns.
    /// </summary>
    /// <param name="options">The configuration.</param>
    /// <param name="cancellationToken">Stops the server.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(ButterflyOptions options, CancellationToken cancellationToken = default)
    {
        var endpoint = options.ParseListen();

        // One writer per data folder: held until the process ends (protocol/control.md, "The data folder lock").
        // Taken first: a second daemon is refused before it touches a socket, a port or a file.
        using var folder = DataFolderLock.Acquire(options.ResolvedDataDirectory);
        // Checked before anything is bound: only a stale socket is removed; another daemon's socket or a
        // file that is not a socket stops the start.
        ControlSocket.Prepare(options.ResolvedDataDirectory);
        if (FilterSocket.Enabled(options))
        {
            FilterSocket.Prepare(options);
        }

        // Owner only, whatever the umask; folders made by older builds are tightened (and it is logged).
        var tightened = OperatingSystem.IsWindows() ? [] : DataFolderAccess.Tighten(options.ResolvedDataDirectory, FilterSocket.DataFolderSearch(options));
        var notices = new StoreNotices();
        var store = await MailStores.OpenAsync(options, notices.Tell, cancellationToken);
        try
        {
            using var registry = new SessionRegistry(options.Limits);
            var app = Build(options, endpoint, store, registry);
            var filters = app.Services.GetRequiredService<FilterRegistry>();
            var readiness = app.Services.GetRequiredService<Readiness>();
            app.Lifetime.ApplicationStopping.Register(() =>
            {
                readiness.Stopping();
                registry.CloseAll(ErrorCode.ServerShuttingDown);

                // Filter connections close once the sessions have drained: requests in flight may
                // still be waiting for a verdict, and a filter that is gone would hold them as tempfail.
                _ = registry.WhenEmptyAsync()
                    .WaitAsync(TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds))
                    .ContinueWith(_ => filters.CloseAll(ErrorCode.ServerShuttingDown), TaskScheduler.Default);
            });

            // Made (or read) before the start, so that a bad secret file stops it before systemd hears READY=1.
            app.Services.GetRequiredService<DialbackKeys>();
            app.Services.GetRequiredService<PeerConnector>(); // loads federation.caFile
            await app.StartAsync(cancellationToken);
            if (FilterSocket.Enabled(options))
            {
                FilterSocket.Secure(options);
            }

            // filter.md, "Failure policies": mail held for a filter is retried as soon as it registers.
            var pipeline = app.Services.GetRequiredService<DeliveryPipeline>();
            app.Services.GetRequiredService<FilterRegistry>().Registered += _ => pipeline.RetryHeldNow();

            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly");
            notices.Attach(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Storage"));
            if (tightened.Count > 0)
            {
                logger.LogWarning(
                    "Tightened the permissions of the data folder {Data} to its owner only: {Changes}",
                    options.ResolvedDataDirectory,
                    string.Join(", ", tightened));
            }
            if (options.Passwords.Iterations is not null)
            {
                logger.LogWarning(
                    "passwords.iterations in {File} no longer has an effect: passwords are hashed with bcrypt (passwords.cost, now {Cost}); remove the key",
                    options.ConfigFile,
                    options.Passwords.Cost);
            }

            // SIGHUP (systemctl reload) re-reads butterfly.json: one handler drives every reload (README, "Reloading the configuration").
            var reloader = app.Services.GetRequiredService<ConfigurationReloader>();
            var penalties = app.Services.GetRequiredService<ServerServices>().LoginPenalties;
            reloader.Reloaded += live =>
            {
                registry.ApplyLimits(live.Limits);
                penalties.Apply(live.LoginPenalty);
            };
            if (options.Tls.Listen is not null || (options.Web.Enabled && options.Web.Tls))
            {
                var certificates = app.Services.GetRequiredService<CertificateReloader>();
                reloader.Reloaded += _ => certificates.Reload("SIGHUP");
            }

            using var hangUp = OperatingSystem.IsWindows()
                ? null
                : System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, context =>
                {
                    // SIGHUP's default would end the process: here it means "reload", as for most daemons.
                    context.Cancel = true;
                    reloader.Reload("SIGHUP");
                });

            readiness.Listening();

            // Before "listening on", which tools wait for: by then the metrics address is known too.
            if (app.Services.GetRequiredService<MetricsEndpoint>().BoundEndPoint is { } metrics)
            {
                await Console.Out.WriteLineAsync($"butterfly: metrics on http://{metrics}/metrics");
            }

            // protocol/websocket.md: tools and tests read the page's address from this line. Prefixed like the
            // daemon's other lines of its own, which log readers (the JSON format's) tell from log lines by it.
            if (app.Services.GetRequiredService<WebEndpoint>().Url is { } web)
            {
                await Console.Out.WriteLineAsync($"butterfly: Web client on {web}");
            }

            var bound = BoundEndPoint(app, endpoint);
            await Console.Out.WriteLineAsync($"butterfly: listening on {bound}");
            if (options.Tls.Listen is not null)
            {
                await Console.Out.WriteLineAsync($"butterfly: tls listening on {BoundEndPoint(app, options.Tls.ParseListen(), "https")}");
            }

            if (app.Services.GetService<SmtpGateway>() is { } smtp)
            {
                await Console.Out.WriteLineAsync($"butterfly: smtp listening on {await smtp.Bound}");
            }

            await Console.Out.FlushAsync(cancellationToken);
            app.Services.GetRequiredService<ServerStatus>().Listeners = Listeners(app, options, bound);
            logger.LogInformation(
                "Serving {Domains} from {Data} on {EndPoint}; store: {Store}",
                string.Join(", ", options.Domains),
                options.ResolvedDataDirectory,
                bound,
                store.Description);
            await app.WaitForShutdownAsync(cancellationToken);
            logger.LogInformation("Stopped; committing pending writes");
            await app.DisposeAsync();
        }
        finally
        {
            await store.DisposeAsync();
        }

        return 0;
    }

    private static List<Butterfly.Protocol.Contracts.StatusListener> Listeners(WebApplication app, ButterflyOptions options, string bound)
    {
        var listeners = new List<Butterfly.Protocol.Contracts.StatusListener> { new("client", bound) };
        if (options.Tls.Listen is not null)
        {
            listeners.Add(new("tls", BoundEndPoint(app, options.Tls.ParseListen(), "https")));
        }

        if (FilterSocket.Enabled(options))
        {
            listeners.Add(new("filter", options.FilterSocket.Resolve(options.ResolvedDataDirectory)));
        }

        if (app.Services.GetRequiredService<WebEndpoint>().Url is { } web)
        {
            listeners.Add(new("web", web));
        }

        listeners.Add(new("control", ControlSocket.PathIn(options.ResolvedDataDirectory)));
        return listeners;
    }

    private static string BoundEndPoint(WebApplication app, IPEndPoint requested, string scheme = "http")
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var address in addresses ?? [])
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0 && uri.Scheme == scheme)
            {
                var host = requested.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                    ? $"[{requested.Address}]"
                    : requested.Address.ToString();
                return $"{host}:{uri.Port}";
            }
        }

        return requested.ToString();
    }
}
