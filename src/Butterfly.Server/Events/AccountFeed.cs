namespace Butterfly.Server.Events;

/// <summary>An account with subscribed sessions: the state its events have reached, and the sessions. Only the hub's loop touches it.</summary>
internal sealed class AccountFeed(long state)
{
    /// <summary>Every change up to this state has been published.</summary>
    public long State { get; set; } = state;

    /// <summary>The sessions subscribed.</summary>
    public List<EventSubscriber> Subscribers { get; } = [];
}
