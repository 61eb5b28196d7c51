using System.Collections.Concurrent;
using System.Threading.Channels;
using Butterfly.Server.Configuration;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Events;

/// <summary>
/// Push events for every subscribed session of an account (protocol/client.md, "Events"). The store tells
/// the hub after each commit which accounts changed (<see cref="IMailStore.OnCommitted"/>), which costs the
/// writer a dictionary look-up and delivery nothing else; one loop then reads, per account with
/// subscribers, what changed since the state it last published (the same query as the <c>changes</c>
/// command), turns it into events, and queues each on every subscribed session, where a bound
/// (<see cref="EventSubscriber"/>) keeps a slow reader from holding memory or anyone up.
/// </summary>
internal sealed partial class EventHub : IAsyncDisposable
{
    // Changes read per query; the loop pages on until the feed has caught up.
    private const int PageSize = 2000;

    private readonly IMailStore _store;
    private readonly EventOptions _options;
    private readonly ILogger _logger;
    private readonly IDisposable _listener;
    private readonly Channel<HubItem> _work = Channel.CreateUnbounded<HubItem>(new UnboundedChannelOptions { SingleReader = true });

    // Read by the commit listener on the writer thread (is anyone listening?); changed only by the loop.
    private readonly ConcurrentDictionary<long, AccountFeed> _feeds = new();
    private readonly Task _loop;

    public EventHub(IMailStore store, EventOptions options, ILogger logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
        _listener = store.OnCommitted(OnCommitted);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The most events a session may have waiting (<c>events.maxQueuedPerSession</c>).</summary>
    public int MaxQueuedPerSession => _options.MaxQueuedPerSession;

    /// <summary>
    /// Sessions subscribed now, for the metrics (<c>butterfly.push.subscribers</c>). Read outside the hub's
    /// worker, so it may be a moment behind; it never blocks the worker.
    /// </summary>
    public long SubscriberCount => _feeds.Values.Sum(f => (long)f.Subscribers.Count);

    /// <summary>
    /// Starts sending <paramref name="subscriber"/> its account's events. Returns the state they start after:
    /// every change with a higher state is sent, none at or below it.
    /// </summary>
    public Task<long> SubscribeAsync(EventSubscriber subscriber)
    {
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(new HubItem.Subscribe(subscriber, started)))
        {
            started.TrySetException(new ObjectDisposedException(nameof(EventHub)));
        }

        return started.Task;
    }

    /// <summary>Ends a subscription (null does nothing).</summary>
    public void Unsubscribe(EventSubscriber? subscriber)
    {
        if (subscriber is null)
        {
            return;
        }

        subscriber.Dispose();
        _work.Writer.TryWrite(new HubItem.Unsubscribe(subscriber));
    }

    /// <summary>
    /// Publishes a <c>quota</c> event to the account's subscribed sessions (the quota warning at 90% uses it).
    /// It does nothing when no session of the account is subscribed; it never waits.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="state">Its usage and quota.</param>
    public void PublishQuota(long accountId, QuotaState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_feeds.ContainsKey(accountId))
        {
            _work.Writer.TryWrite(new HubItem.Quota(accountId, state));
        }
    }

    /// <summary>Stops listening to the store and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    // On the writer thread, after a commit: must not block. Accounts nobody watches cost a look-up.
    private void OnCommitted(IReadOnlyList<AccountState> states)
    {
        foreach (var state in states)
        {
            if (_feeds.ContainsKey(state.AccountId))
            {
                _work.Writer.TryWrite(new HubItem.Changed(state.AccountId, state.ModSeq));
            }
        }
    }

    private async Task RunAsync()
    {
        var reader = _work.Reader;
        var changed = new Dictionary<long, long>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Everything waiting in one go: several commits to one account are read as one.
            while (reader.TryRead(out var item))
            {
                try
                {
                    if (item is HubItem.Changed change)
                    {
                        changed[change.AccountId] = Math.Max(change.ModSeq, changed.GetValueOrDefault(change.AccountId));
                        continue;
                    }

                    // Anything else is ordered after the changes that came before it.
                    await PublishAsync(changed).ConfigureAwait(false);
                    await HandleAsync(item).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _logger.LogError(ex, "The event hub failed on {Item}", item);
                }
            }

            try
            {
                await PublishAsync(changed).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "The event hub failed to publish changes");
            }
        }

        foreach (var feed in _feeds.Values)
        {
            foreach (var subscriber in feed.Subscribers)
            {
                subscriber.Dispose();
            }
        }
    }

    private async Task HandleAsync(HubItem item)
    {
        switch (item)
        {
            case HubItem.Subscribe subscribe:
                var subscriber = subscribe.Subscriber;
                if (!_feeds.TryGetValue(subscriber.AccountId, out var feed))
                {
                    // The listener sees the feed from now on; a commit between the read and here is
                    // caught by the next publish, which reads from the state read here.
                    feed = new AccountFeed(0);
                    _feeds[subscriber.AccountId] = feed;
                    if (await _store.Changes.StateAsync(subscriber.AccountId).ConfigureAwait(false) is not { } state)
                    {
                        _feeds.TryRemove(subscriber.AccountId, out _);
                        subscribe.Started.TrySetException(new InvalidOperationException($"Account {subscriber.AccountId} does not exist."));
                        return;
                    }

                    feed.State = state;
                }

                if (!subscriber.Ended)
                {
                    feed.Subscribers.Add(subscriber);
                }

                subscribe.Started.TrySetResult(feed.State);
                break;
            case HubItem.Unsubscribe unsubscribe:
                Remove(unsubscribe.Subscriber);
                break;
            case HubItem.Quota quota when _feeds.TryGetValue(quota.AccountId, out var quotaFeed):
                Deliver(quota.AccountId, quotaFeed, [Quota(quotaFeed.State, quota.State)]);
                break;
        }
    }

    private void Remove(EventSubscriber subscriber)
    {
        if (_feeds.TryGetValue(subscriber.AccountId, out var feed) && feed.Subscribers.Remove(subscriber) && feed.Subscribers.Count == 0)
        {
            _feeds.TryRemove(subscriber.AccountId, out _);
        }
    }

    private async Task PublishAsync(Dictionary<long, long> changed)
    {
        foreach (var (accountId, modSeq) in changed)
        {
            if (_feeds.TryGetValue(accountId, out var feed) && modSeq > feed.State)
            {
                await PublishAsync(accountId, feed).ConfigureAwait(false);
            }
        }

        changed.Clear();
    }

    private async Task PublishAsync(long accountId, AccountFeed feed)
    {
        while (true)
        {
            var read = await _store.Changes.SinceAsync(accountId, feed.State, null, PageSize).ConfigureAwait(false);
            if (!read.Ok)
            {
                // Cannot happen while the feed keeps up (retention is days); if it does, every session resyncs.
                _logger.LogWarning("Events for account {Account} could not be read ({Detail}); its sessions must resync", accountId, read.Detail);
                feed.State = await _store.Changes.StateAsync(accountId).ConfigureAwait(false) ?? feed.State;
                var overflow = Overflow(feed.State);
                foreach (var subscriber in feed.Subscribers)
                {
                    subscriber.End(overflow);
                }

                feed.Subscribers.Clear();
                _feeds.TryRemove(accountId, out _);
                return;
            }

            var changes = read.Value!;
            feed.State = changes.State;
            Deliver(accountId, feed, Build(changes));
            if (!changes.More)
            {
                return;
            }
        }
    }

    private void Deliver(long accountId, AccountFeed feed, List<(EventKinds Kind, byte[] Head)> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var state = feed.State;
        byte[]? overflow = null;
        var ended = false;
        foreach (var subscriber in feed.Subscribers)
        {
            foreach (var (kind, head) in events)
            {
                if (!subscriber.Offer(kind, head, () => overflow ??= Overflow(state)))
                {
                    ended = true;
                    break;
                }
            }
        }

        if (ended && feed.Subscribers.RemoveAll(s => s.Ended) > 0 && feed.Subscribers.Count == 0)
        {
            _feeds.TryRemove(accountId, out _);
        }
    }
}
