using System.Net;
using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// <c>metrics.listen</c>: a plain HTTP/1.1 endpoint on the daemon's Kestrel beside the mail listeners,
/// serving <c>/metrics</c> (OpenTelemetry's Prometheus exporter, text format) and <c>/healthz</c>
/// (<see cref="Readiness"/>); anything else is 404. Off when the key is empty: then no meter listener
/// exists and every recording is a flag check.
/// </summary>
internal sealed class MetricsEndpoint
{
    private ListenOptions? _listen;

    /// <summary>The bound HOST:PORT (the OS's port when the configuration said 0); null when off or not started.</summary>
    public string? BoundEndPoint => _listen?.EndPoint is IPEndPoint ip
        ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip.Address}]:{ip.Port}" : $"{ip.Address}:{ip.Port}")
        : null;

    /// <summary>Registers the exporter and the listener, when <c>metrics.listen</c> is set.</summary>
    /// <param name="builder">The daemon's application builder.</param>
    /// <param name="options">The configuration.</param>
    public static void AddTo(WebApplicationBuilder builder, ButterflyOptions options)
    {
        var endpoint = new MetricsEndpoint();
        builder.Services.AddSingleton(endpoint);
        builder.Services.AddSingleton(sp => new Readiness(sp.GetRequiredService<IMailStore>()));
        if (!options.Metrics.Enabled)
        {
            return;
        }

        ButterflyOptions.TryParseEndPoint(options.Metrics.Listen, out var address);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ButterflyMetrics.MeterName, StoreMetrics.MeterName)
            .AddRuntimeInstrumentation()

            // Every scrape reads the instruments afresh: two scrapes a second apart must see what moved.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            endpoint._listen = listen;
        }));
    }

    /// <summary>Maps <c>/healthz</c> and <c>/metrics</c>, when <c>metrics.listen</c> is set.</summary>
    /// <param name="app">The built application.</param>
    /// <param name="options">The configuration.</param>
    /// <param name="gauges">Refreshed before each scrape.</param>
    public static void Map(WebApplication app, ButterflyOptions options, ServerGauges gauges)
    {
        if (!options.Metrics.Enabled)
        {
            return;
        }

        var readiness = app.Services.GetRequiredService<Readiness>();
        app.Map("/healthz", health => health.Run(readiness.WriteAsync));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => context.Request.Path == "/metrics",
            path: null,
            configureBranchedPipeline: scrape => scrape.Use(async (context, next) =>
            {
                await gauges.RefreshAsync(context.RequestAborted);
                await next(context);
            }),
            optionsName: null);
    }
}
