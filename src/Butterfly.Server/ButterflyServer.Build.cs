using System.Net;
using Butterfly.Protocol.Connections;
using Butterfly.Server.Commands;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Server.Delivery;
using Butterfly.Server.Dkim;
using Butterfly.Server.Dns;
using Butterfly.Server.Events;
using Butterfly.Server.Federation;
using Butterfly.Server.Filters;
using Butterfly.Server.Listener;
using Butterfly.Server.Queue;
using Butterfly.Server.Scripts;
using Butterfly.Server.Sessions;
using Butterfly.Server.Smtp;
using Butterfly.Server.Smtp.Outbound;
using Butterfly.Server.Telemetry;
using Butterfly.Server.Web;
using Butterfly.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server;

/// <summary>How the daemon's host is built: its logging, its services and its listeners.</summary>
public static partial class ButterflyServer
{
    private static WebApplication Build(ButterflyOptions options, IPEndPoint endpoint, IMailStore store, SessionRegistry registry)
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
        var recentErrors = AddLogging(builder, options);

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IMailStore>(store);
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
        if (options.Tls.Listen is not null || smtpTls || (options.Web.Enabled && options.Web.Tls))
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

        ConfigureListeners(builder, options, endpoint);

        // README.md, "Watching it": /metrics and /healthz on metrics.listen, bound after the mail listeners
        // (the first plain listener's address is the one printed as "listening on").
        MetricsEndpoint.AddTo(builder, options);

        // protocol/websocket.md: the web client's page and /ws on web.listen, after the other listeners.
        WebEndpoint.AddTo(builder, options, sp => sp.GetRequiredService<CertificateReloader>().Current);
        var app = builder.Build();
        WebEndpoint.Map(app, options, ActivatorUtilities.CreateInstance<ButterflyConnectionHandler>(app.Services), TransportReadBufferBytes(options));
        var events = app.Services.GetRequiredService<EventHub>();
        MetricsEndpoint.Map(app, options, new ServerGauges(store, () => events.SubscriberCount, TimeProvider.System));
        return app;
    }

    // Console lines (text, JSON or journald's), the levels butterfly.json sets, and the recent errors `status` shows.
    private static RecentErrorLog AddLogging(WebApplicationBuilder builder, ButterflyOptions options)
    {
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

        return recentErrors;
    }

    // Kestrel's listeners: the client port, the filter socket, the TLS port, and the transport's read limits.
    private static void ConfigureListeners(WebApplicationBuilder builder, ButterflyOptions options, IPEndPoint endpoint)
    {
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
    }

    /// <summary>Unread bytes the transport holds per connection: a little more than the largest frame read in place.</summary>
    private static long TransportReadBufferBytes(ButterflyOptions options) =>
        2L * Math.Max(FrameConnectionOptions.DefaultLargeFrameBytes, options.Limits.MaxFrameBytesBeforeLogin);
}
