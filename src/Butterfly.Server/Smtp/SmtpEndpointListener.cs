using System.Net;
using System.Net.Sockets;
using System.Text;
using Butterfly.Server.Commands;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Butterfly.Server.Smtp;

/// <summary>
/// Accepts SMTP connections: one over the per-address or total cap is answered <c>421 4.7.0</c> and
/// closed before the library sees it; an admitted one becomes an <see cref="SmtpPipe"/> with its
/// <see cref="SmtpSessionState"/> in the session's properties.
/// </summary>
internal sealed class SmtpEndpointListener(TcpListener listener, SmtpGateway gateway, ILogger logger) : IEndpointListener
{
    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
            var source = SourceKey.Of(remote.Address);
            if (!gateway.Connections.TryAdd(source, out var refusal))
            {
                logger.LogDebug("SMTP: refusing {Remote}: {Reason}", remote, refusal);
                _ = RefuseAsync(client, refusal);
                continue;
            }

            client.NoDelay = true;
            var guard = new SmtpGuardStream(client.GetStream(), gateway.Limits, gateway.Budget, gateway.ServerName);
            var pipe = new SmtpPipe(client, guard, () => gateway.Connections.Remove(source));
            context.Properties[SmtpSessionState.Key] = new SmtpSessionState(remote, source, pipe);
            context.Properties[EndpointListener.RemoteEndPointKey] = remote;
            return pipe;
        }
    }

    public void Dispose() => listener.Stop();

    private async Task RefuseAsync(TcpClient client, string refusal)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"421 4.7.0 {gateway.ServerName} {refusal}\r\n"));
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // Gone already.
            }
        }
    }
}
