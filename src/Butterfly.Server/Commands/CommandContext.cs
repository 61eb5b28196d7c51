using System.Text.Json;

namespace Butterfly.Server.Commands;

/// <summary>What a command handler gets: the session, the parsed head and the body bytes.</summary>
/// <param name="Session">The session the request came on.</param>
/// <param name="Head">The request's JSON head (an object).</param>
/// <param name="Body">The request's binary section, copied out of the receive buffer.</param>
internal readonly record struct CommandContext(ICommandSession Session, JsonElement Head, ReadOnlyMemory<byte> Body)
{
    /// <summary>The logged-in account. Handlers marked as needing authentication may rely on it.</summary>
    public SessionAccount Account => Session.Account ?? throw new InvalidOperationException("The command table let an unauthenticated request through.");

    /// <summary>Server-wide services.</summary>
    public ServerServices Services => Session.Services;

    /// <summary>Cancelled when the server stops waiting for this work.</summary>
    public CancellationToken Aborted => Session.Aborted;
}
