namespace Butterfly.Server.Events;

/// <summary>One piece of work for the hub's loop, in the order it arrived.</summary>
internal abstract record HubItem
{
    /// <summary>An account's state moved (from the store's commit listener).</summary>
    public sealed record Changed(long AccountId, long ModSeq) : HubItem;

    /// <summary>A session subscribes; <see cref="Started"/> gets the state its events start after.</summary>
    public sealed record Subscribe(EventSubscriber Subscriber, TaskCompletionSource<long> Started) : HubItem;

    /// <summary>A session's subscription ended.</summary>
    public sealed record Unsubscribe(EventSubscriber Subscriber) : HubItem;

    /// <summary>A quota event to publish.</summary>
    public sealed record Quota(long AccountId, QuotaState State) : HubItem;
}
