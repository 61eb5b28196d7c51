namespace Butterfly.Bench;

/// <summary>An attack <c>bench memory</c> makes on a daemon while it watches the daemon's memory.</summary>
public enum MemoryScenario
{
    /// <summary>Connections that each send all but the last byte of a maximum-size frame, before login.</summary>
    PreLogin,

    /// <summary>The same, after logging in.</summary>
    PostLogin,

    /// <summary>Logged-in clients that request a large message over and over and never read the answers.</summary>
    Backlog,

    /// <summary>Logged-in connections that say nothing more: what one idle session costs the daemon.</summary>
    Idle,
}
