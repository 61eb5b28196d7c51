using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Server.Commands;
using Butterfly.Server.Sessions;
using Butterfly.Server.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Listener;

/// <summary>Kestrel's entry point for every accepted connection: one <see cref="Session"/> each.</summary>
internal sealed class ButterflyConnectionHandler(ServerServices services, SessionRegistry sessions) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var session = new Session(connection, services);
        if (!sessions.TryAdd(session, SourceKey.Of(connection.RemoteEndPoint), out var refusal))
        {
            services.Logger.LogWarning("Refusing {Remote}: {Reason}", connection.RemoteEndPoint, refusal);
            var reply = Reply.Fail(ErrorCode.ServerBusy, refusal);
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
        }
    }
}
