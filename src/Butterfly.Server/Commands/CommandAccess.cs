namespace Butterfly.Server.Commands;

/// <summary>Which session states a command is allowed in.</summary>
internal enum CommandAccess
{
    /// <summary>Any state (hello).</summary>
    Always,

    /// <summary>Only before login or peer.auth (login, register, peer.auth, peer.verify).</summary>
    Anonymous,

    /// <summary>Only after login (everything else).</summary>
    Authenticated,

    /// <summary>After login or after peer.auth (ping, logout; protocol/peer.md, "Session states").</summary>
    UserOrPeer,

    /// <summary>Only on a connection that passed peer.auth (peer.deliver).</summary>
    Peer,
}
