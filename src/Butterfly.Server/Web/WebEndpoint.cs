using System.Net;
using System.Net.Sockets;
using Butterfly.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Web;

/// <summary>
/// <c>web.listen</c>: the web client's HTTP/1.1 listener on the daemon's Kestrel (protocol/websocket.md). It serves
/// the embedded page (<see cref="WebStaticFiles"/>) and <c>/ws</c>, a WebSocket carrying the client protocol into
/// the same connection handler as the client port. Every response carries <see cref="WebHeaders"/>.
/// </summary>
internal sealed class WebEndpoint
{
    private readonly WebOptions _options;
    private ListenOptions? _listen;

    private WebEndpoint(WebOptions options) => _options = options;

    /// <summary>The bound address as a URL (<c>http://HOST:PORT/</c>, https with <c>web.tls</c>); null when off or not started.</summary>
    public string? Url => _listen?.EndPoint is IPEndPoint ip
        ? $"{(_options.Tls ? "https" : "http")}://{HostPort(ip.Address, ip.Port)}/"
        : null;

    /// <summary>Registers the listener, when <c>web.listen</c> is set.</summary>
    /// <param name="builder">The daemon's application builder.</param>
    /// <param name="options">The configuration.</param>
    /// <param name="certificate">The TLS certificate in use (for <c>web.tls</c>).</param>
    public static void AddTo(WebApplicationBuilder builder, ButterflyOptions options, Func<IServiceProvider, System.Security.Cryptography.X509Certificates.X509Certificate2?> certificate)
    {
        var endpoint = new WebEndpoint(options.Web);
        builder.Services.AddSingleton(endpoint);
        if (!options.Web.Enabled)
        {
            return;
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Web.ParseListen(), listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (options.Web.Tls)
            {
                // Asked for at each handshake, so that a reloaded certificate reaches new connections.
                var services = kestrel.ApplicationServices;
                listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificate(services) });
            }

            endpoint._listen = listen;
        }));
    }

    /// <summary>
    /// Maps the page and <c>/ws</c> for requests that came through the web listener (registered before any other
    /// endpoint, so that the other HTTP listener, metrics, is never reached from here and the other way round).
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <param name="options">The configuration.</param>
    /// <param name="handler">The client port's connection handler: every WebSocket runs a session through it.</param>
    /// <param name="readBufferBytes">Unread bytes a connection may hold, as on the client port.</param>
    public static void Map(WebApplication app, ButterflyOptions options, ConnectionHandler handler, long readBufferBytes)
    {
        if (!options.Web.Enabled)
        {
            return;
        }

        var endpoint = app.Services.GetRequiredService<WebEndpoint>();
        var files = WebStaticFiles.Load(typeof(WebEndpoint).Assembly);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Butterfly.Web");
        app.MapWhen(endpoint.IsWebRequest, web =>
        {
            web.Use((context, next) =>
            {
                WebHeaders.AddTo(context.Response.Headers);
                return next(context);
            });
            web.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
            web.Run(context => context.Request.Path == "/ws"
                ? endpoint.AcceptAsync(context, handler, readBufferBytes, logger)
                : files.ServeAsync(context));
        });
    }

    /// <summary>The origins allowed to open <c>/ws</c>: <c>web.origins</c>, or the listener's own address.</summary>
    public IReadOnlyCollection<string> AllowedOrigins()
    {
        if (_options.Origins.Count > 0)
        {
            return _options.Origins;
        }

        if (_listen?.EndPoint is not IPEndPoint ip)
        {
            return [];
        }

        var scheme = _options.Tls ? "https" : "http";
        var origins = new List<string> { $"{scheme}://{HostPort(ip.Address, ip.Port)}" };
        if (IPAddress.IsLoopback(ip.Address))
        {
            origins.Add($"{scheme}://localhost:{ip.Port}");
        }

        return origins;
    }

    private async Task AcceptAsync(HttpContext context, ConnectionHandler handler, long readBufferBytes, ILogger logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("/ws takes WebSocket connections only (protocol/websocket.md).\n");
            return;
        }

        // protocol/websocket.md, "Origin": a page from another site must not speak for the user's browser.
        var origin = context.Request.Headers.Origin.ToString();
        if (!AllowedOrigins().Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            logger.LogInformation("Refusing a WebSocket from {Remote}: origin '{Origin}' is not in web.origins", context.Connection.RemoteIpAddress, origin.Length > 200 ? origin[..200] : origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("This origin may not open the WebSocket (web.origins).\n");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var remote = context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort) : null;
        var local = context.Connection.LocalIpAddress is { } localAddress ? new IPEndPoint(localAddress, context.Connection.LocalPort) : null;
        await using var connection = new WebSocketConnection(socket, remote, local, readBufferBytes);
        await connection.RunAsync(handler);
    }

    private bool IsWebRequest(HttpContext context)
    {
        if (_listen?.EndPoint is not IPEndPoint ip || context.Connection.LocalPort != ip.Port)
        {
            return false;
        }

        return ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any)
            || (context.Connection.LocalIpAddress is { } local && (local.Equals(ip.Address) || (local.IsIPv4MappedToIPv6 && local.MapToIPv4().Equals(ip.Address))));
    }

    private static string HostPort(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
