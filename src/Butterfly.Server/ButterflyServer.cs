using System.Net;
using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Server.Delivery;
using Butterfly.Server.Dkim;
using Butterfly.Server.Dns;
using Butterfly.Server.Events;
using Butterfly.Server.Filters;
using Butterfly.Server.Federation;
using Butterfly.Server.Listener;
using Butterfly.Server.Smtp;
using Butterfly.Server.Queue;
using Butterfly.Server.Scripts;
using Butterfly.Server.Sessions;
using Butterfly.Server.Smtp.Outbound;
using Butterfly.Server.Telemetry;
using Butterfly.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server;

/// <summary>The daemon: Kestrel's connection handling inside the generic host, around one mail store.</summary>
public static class ButterflyServer
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
        var store = await MailStore.OpenAsync(options.ToStoreOptions(notices.Tell), cancellationToken);
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
            if (options.Tls.Listen is not null)
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
                "Serving {Domains} from {Data} on {EndPoint}",
                string.Join(", ", options.Domains),
                options.ResolvedDataDirectory,
                bound);
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

    private static WebApplication Build(ButterflyOptions options, IPEndPoint endpoint, MailStore store, SessionRegistry registry)
    {
        // The empty builder adds no configuration sources and no file watching: the slim builder's
        // appsettings reload watched the content root, where every WAL write then woke a watcher.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = options.ConfigDirectory ?? Directory.GetCurrentDirectory(),
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddLogging();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
            o.IncludeScopes = true; // the session id on every line a session logs
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);

        // butterfly status shows the latest error lines.
        var recentErrors = new RecentErrorLog();
        builder.Logging.AddProvider(recentErrors);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        foreach (var (category, level) in options.Logging.LogLevel)
        {
            // As the configuration system reads logging.LogLevel: "Default" is every category; later rules win ties.
            builder.Logging.AddFilter(category.Equals("Default", StringComparison.OrdinalIgnoreCase) ? null : category, level);
        }

        // Under systemd (Type=notify): READY=1 once the listeners are open, STOPPING=1 when shutdown begins, SIGTERM
        // as the stop signal, and log lines in journald's format (priority prefix, no timestamp of our own).
        // Registered after the console logger so that its formatter choice wins. Anywhere else it does nothing.
        builder.Services.AddSystemd();
        ConsoleLogging.Choose(builder.Logging, options.Logging);

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(registry);

        // framing.md, "Limits": one budget for the large frames all client and peer connections are receiving.
        builder.Services.AddSingleton(new ByteBudget(options.Limits.InFlightBytes));
        builder.Services.AddSingleton<DeliveryPipeline>();
        builder.Services.AddHostedService<HeldMailWorker>();
        builder.Services.AddHostedService<SearchIndexWorker>();

        // Programmable addresses (issue 12): the engine's host, the message runs and the schedules.
        builder.Services.AddSingleton<ScriptHost>();
        builder.Services.AddHostedService(sp => new ScriptMessageWorker(sp.GetRequiredService<ScriptHost>()));
        builder.Services.AddHostedService(sp => new ScriptScheduleWorker(sp.GetRequiredService<ScriptHost>()));
        builder.Services.AddSingleton<FilterRegistry>();
        builder.Services.AddSingleton<IFilterChain, FilterChain>();
        builder.Services.AddSingleton(sp => new ServerServices(
            options,
            store,
            sp.GetRequiredService<DeliveryPipeline>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Session"))
        {
            Dialback = options.Federation.Enabled ? sp.GetRequiredService<Dialback>() : null,
            Events = sp.GetRequiredService<EventHub>(),
            Scripts = sp.GetRequiredService<ScriptHost>(),
        });

        // protocol/client.md, "Events": push to subscribed sessions, and the retention of "changes since".
        builder.Services.AddSingleton(sp => new EventHub(store, options.Events, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Events")));
        builder.Services.AddHostedService<ChangeRetentionWorker>();

        // protocol/peer.md: discovery, dialback and the peer client; the queue worker takes IPeerTransport.
        builder.Services.TryAddSingleton<IDnsResolver>(_ => new DnsResolver(options.Dns));
        builder.Services.AddSingleton(_ => DialbackKeys.Load(options));
        builder.Services.AddSingleton(sp => new PeerLocator(options, sp.GetRequiredService<IDnsResolver>()));
        builder.Services.AddSingleton(sp => new PeerConnector(
            options,
            sp.GetRequiredService<PeerLocator>(),
            sp.GetRequiredService<IDnsResolver>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Federation")));
        builder.Services.AddSingleton(sp => new Dialback(
            options,
            sp.GetRequiredService<DialbackKeys>(),
            sp.GetRequiredService<PeerConnector>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Federation")));
        builder.Services.AddSingleton(sp => new PeerTransport(
            options,
            sp.GetRequiredService<PeerConnector>(),
            sp.GetRequiredService<DialbackKeys>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Federation")));

        // README, "Sending": the queue's transport picks a Butterfly peer or SMTP per domain; mail is DKIM-signed.
        builder.Services.AddSingleton(_ => DkimKeyStore.For(options));
        builder.Services.AddSingleton(sp => new OutboundRouter(options, sp.GetRequiredService<PeerLocator>(), sp.GetRequiredService<IDnsResolver>()));
        builder.Services.AddSingleton<IRemoteRoutes>(sp => sp.GetRequiredService<OutboundRouter>());
        builder.Services.AddSingleton(sp => new SmtpTransport(
            options,
            sp.GetRequiredService<DkimKeyStore>(),
            sp.GetRequiredService<IDnsResolver>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Smtp")));
        builder.Services.AddSingleton<IPeerTransport>(sp => new OutboundTransport(
            sp.GetRequiredService<OutboundRouter>(), sp.GetRequiredService<PeerTransport>(), sp.GetRequiredService<SmtpTransport>()));
        builder.Services.AddHostedService<OutboundQueueWorker>();

        // peer.md, "TLS": the listener's certificate, reloaded on SIGHUP and when its files change.
        // The SMTP gateway's STARTTLS uses it too, when its files are there.
        var smtpTls = options.Smtp.Listen is not null
            && File.Exists(Path.GetFullPath(options.Tls.Certificate, options.ConfigDirectory ?? Directory.GetCurrentDirectory()));
        if (options.Tls.Listen is not null || smtpTls)
        {
            builder.Services.AddSingleton(sp => new CertificateReloader(
                options.Tls,
                options.ConfigDirectory,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Tls")));
        }

        // The SMTP gateway's inbound listener (smtp.listen): mail from the internet into the delivery pipeline.
        if (options.Smtp.Listen is not null)
        {
            builder.Services.AddSingleton(sp => new SmtpGateway(
                options,
                sp.GetRequiredService<DeliveryPipeline>(),
                sp.GetRequiredService<IDnsResolver>(),
                sp.GetRequiredService<ByteBudget>(),
                sp.GetRequiredService<ILoggerFactory>(),
                () => sp.GetService<CertificateReloader>()?.Current));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SmtpGateway>());
        }

        // protocol/control.md: the operator's commands, on control.sock in the data folder.
        builder.Services.AddSingleton(sp => new ServerStatus(registry, sp.GetRequiredService<FilterRegistry>(), recentErrors));
        builder.Services.AddHostedService<ControlListener>();

        // SIGHUP: the one reload point; services that keep state derived from the options subscribe to it.
        builder.Services.AddSingleton(sp => new ConfigurationReloader(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Configuration")));

        // framing.md, "Limits": memory freed after a burst goes back to the system once it is quiet.
        builder.Services.AddSingleton<MemoryRelief>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MemoryRelief>());

        // The socket transport has its own limit of unread bytes (1 MiB by default), which is the one
        // that applies to plain TCP connections; MaxRequestBufferSize covers the TLS listener's pipe.
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.MaxReadBufferSize = TransportReadBufferBytes(options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // A frame over 64 KiB is gathered by the connection core outside the transport's buffer
            // (counted against limits.inFlightBytes), so the transport stops reading a connection
            // once it holds a little more than that unread: a connection that sends and never
            // completes a frame holds no more.
            kestrel.Limits.MaxRequestBufferSize = TransportReadBufferBytes(options);
            kestrel.Limits.MaxResponseBufferSize = 1 << 20;
            kestrel.Listen(endpoint, listen => listen.UseConnectionHandler<ButterflyConnectionHandler>());
            if (FilterSocket.Enabled(options))
            {
                // filter.md, "Transport": filter daemons on a UNIX socket, with their own connection handler.
                kestrel.ListenUnixSocket(FilterSocket.Prepare(options), listen => listen.UseConnectionHandler<FilterConnectionHandler>());
            }
            if (options.Tls.Listen is not null)
            {
                // peer.md, "TLS": a second listener; the same sessions behind Kestrel's TLS middleware.
                // The certificate is asked for at each handshake, so a reload reaches new connections.
                var certificates = kestrel.ApplicationServices.GetRequiredService<CertificateReloader>();
                kestrel.Listen(options.Tls.ParseListen(), listen =>
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificates.Current });
                    listen.UseConnectionHandler<ButterflyConnectionHandler>();
                });
            }
        });

        // README.md, "Watching it": /metrics and /healthz on metrics.listen, bound after the mail listeners
        // (the first plain listener's address is the one printed as "listening on").
        MetricsEndpoint.AddTo(builder, options);
        var app = builder.Build();
        var events = app.Services.GetRequiredService<EventHub>();
        MetricsEndpoint.Map(app, options, new ServerGauges(store, () => events.SubscriberCount, TimeProvider.System));
        return app;
    }

    /// <summary>Unread bytes the transport holds per connection: a little more than the largest frame read in place.</summary>
    private static long TransportReadBufferBytes(ButterflyOptions options) =>
        2L * Math.Max(FrameConnectionOptions.DefaultLargeFrameBytes, options.Limits.MaxFrameBytesBeforeLogin);

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
