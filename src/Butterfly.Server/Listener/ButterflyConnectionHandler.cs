using Butterfly.Protocol.Connections;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Commands;
using Butterfly.Server.Sessions;
using Butterfly.Server.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Listener;

/// <summary>Kestrel's entry point for every accepted connection: one <see cref="Session"/> each.</summary>
/// <param name="services">Server-wide services.</param>
/// <param name="sessions">The open sessions.</param>
/// <param name="frameBudget">The server-wide budget of large frames being received (limits.inFlightBytes).</param>
/// <param name="relief">Told when a connection ends, so that what it held can be given back.</param>
internal sealed class ButterflyConnectionHandler(ServerServices services, SessionRegistry sessions, ByteBudget frameBudget, MemoryRelief relief) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var session = new Session(connection, services, frameBudget);
        if (!sessions.TryAdd(session))
        {
            services.Logger.LogWarning("Refusing {Remote}: connection limit reached", connection.RemoteEndPoint);
            var reply = Reply.Fail(ErrorCode.ServerBusy);
            FrameWriter.Write(connection.Transport.Output, FrameLayout.PushTag, reply.Head.Span, default);
            await connection.Transport.Output.FlushAsync();
            await connection.Transport.Output.CompleteAsync();
            return;
        }

        try
        {
            services.Logger.LogDebug("Connection from {Remote}", connection.RemoteEndPoint);
            await session.RunAsync();
        }
        finally
        {
            sessions.Remove(session);
            relief.ConnectionEnded();
        }
    }
}
