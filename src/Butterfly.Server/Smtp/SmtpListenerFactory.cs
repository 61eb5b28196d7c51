using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.Net;

namespace Butterfly.Server.Smtp;

/// <summary>
/// Makes the library's listener: binds the socket (so <see cref="Bound"/> can say which port port 0 became),
/// and hands each admitted connection over as an <see cref="SmtpPipe"/>.
/// </summary>
internal sealed class SmtpListenerFactory(SmtpGateway gateway, ILogger logger) : IEndpointListenerFactory
{
    private readonly TaskCompletionSource<IPEndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the bound endpoint once the socket listens (faults when it cannot be bound).</summary>
    public Task<IPEndPoint> Bound => _bound.Task;

    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            _bound.TrySetException(ex);
            throw;
        }

        _bound.TrySetResult((IPEndPoint)listener.LocalEndpoint);
        return new SmtpEndpointListener(listener, gateway, logger);
    }
}
