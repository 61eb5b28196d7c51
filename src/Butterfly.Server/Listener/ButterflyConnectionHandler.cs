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
    // A flood is refused thousands of times a second: one warning per interval says how many.
    private const long RefusalLogIntervalMs = 10_000;
    private long _lastRefusalLog = long.MinValue / 2;
    private int _refusedSinceLog;

    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var session = new Session(connection, services, frameBudget);
        if (!sessions.TryAdd(session, SourceKey.Of(connection.RemoteEndPoint), out var refusal))
        {
            LogRefusal(connection, refusal);
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
            relief.ConnectionEnded();
        }
    }

    private void LogRefusal(ConnectionContext connection, string refusal)
    {
        var refused = Interlocked.Increment(ref _refusedSinceLog);
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastRefusalLog);
        if (now - last >= RefusalLogIntervalMs && Interlocked.CompareExchange(ref _lastRefusalLog, now, last) == last)
        {
            Interlocked.Add(ref _refusedSinceLog, -refused);
            services.Logger.LogWarning("Refusing {Remote}: {Reason} ({Refused} connections refused since the last such line)", connection.RemoteEndPoint, refusal, refused);
            return;
        }

        services.Logger.LogDebug("Refusing {Remote}: {Reason}", connection.RemoteEndPoint, refusal);
    }
}
