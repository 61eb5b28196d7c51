using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Filters;

/// <summary>Kestrel's entry point for every connection on the filter socket: one <see cref="FilterConnection"/> each.</summary>
internal sealed class FilterConnectionHandler(ButterflyOptions options, IMailStore store, FilterRegistry registry, ILoggerFactory loggers) : ConnectionHandler
{
    private readonly ILogger _logger = loggers.CreateLogger("Butterfly.Filters");

    /// <inheritdoc/>
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        new FilterConnection(connection, options, store, registry, _logger).RunAsync();
}
