using Butterfly.Server.Events;

namespace Butterfly.Server.Commands;

/// <summary>
/// What a command sees of the connection it came on. Sessions implement it, so that commands do
/// not depend on the session that runs them (src/Butterfly.Server/README.md, "Layers").
/// </summary>
internal interface ICommandSession
{
    /// <summary>Server-wide services.</summary>
    ServerServices Services { get; }

    /// <summary>The logged-in account, or null before login.</summary>
    SessionAccount? Account { get; }

    /// <summary>The domain this connection proved it speaks for with peer.auth, or null (protocol/peer.md, "Dialback").</summary>
    string? PeerDomain { get; }

    /// <summary>The random id the hello reply names; dialback keys are bound to it (protocol/peer.md, "Connection id").</summary>
    string ConnectionId { get; }

    /// <summary>The remote end, for logs.</summary>
    string RemoteEndPoint { get; }

    /// <summary>The remote IP address in trace-field form, e.g. <c>[127.0.0.1]</c>.</summary>
    string RemoteAddress { get; }

    /// <summary>When the connection was accepted (Environment.TickCount64): the login deadline counts from it.</summary>
    long Started { get; }

    /// <summary>Cancelled when the connection is aborted.</summary>
    CancellationToken Aborted { get; }

    /// <summary>Logs the session in (or out, with null).</summary>
    /// <param name="account">The account.</param>
    void SetAccount(SessionAccount? account);

    /// <summary>Marks the session as a peer session for <paramref name="domain"/> (or ends that, with null).</summary>
    /// <param name="domain">The proven peer domain.</param>
    void SetPeer(string? domain);

    /// <summary>Makes <paramref name="subscription"/> this session's event subscription (null: none) and returns the one it replaces.</summary>
    /// <param name="subscription">The new subscription.</param>
    EventSubscriber? ReplaceSubscription(EventSubscriber? subscription);

    /// <summary>Queues a frame with tag 0 (an event); false when the connection no longer writes.</summary>
    /// <param name="head">The UTF-8 JSON head.</param>
    /// <param name="lease">Released once the frame is written or dropped.</param>
    bool Push(ReadOnlyMemory<byte> head, IDisposable? lease);
}
