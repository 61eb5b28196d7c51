using System.Runtime.CompilerServices;
using System.Text.Json;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Push events and "changes since" (protocol/client.md, "Events" and "changes").</summary>
public sealed partial class ButterflyClient
{
    private int _eventsLost;

    /// <summary>
    /// Subscribes this session to its account's events (all kinds when <paramref name="kinds"/> is null or
    /// empty; <c>message</c> and <c>folder</c> name their groups). Read them with <see cref="ReadEventsAsync"/>.
    /// Subscribing again replaces the kinds and starts from the state returned.
    /// </summary>
    /// <param name="kinds">Event kinds, e.g. <c>message.added</c>, <c>folder</c>, <c>quota</c>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The account's state when the subscription started: events follow for every later change.</returns>
    /// <exception cref="ButterflyException">For example <c>request.invalid</c> for an unknown kind.</exception>
    public async Task<long> SubscribeAsync(IEnumerable<string>? kinds = null, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.EventsSubscribe, kinds, static (w, k) =>
        {
            if (k is not null)
            {
                HeadWriter.WriteStrings(w, "kinds", k);
            }
        });
        var reply = await CommandAsync(head, default, ct);
        return ReplyReader.Int64(reply.Head, "state");
    }

    /// <summary>Ends this session's subscription; events already on their way may still arrive.</summary>
    /// <param name="ct">Cancels the wait.</param>
    public Task UnsubscribeAsync(CancellationToken ct = default) => CommandAsync(HeadWriter.Command(Commands.EventsUnsubscribe), default, ct);

    /// <summary>
    /// The events the server pushes, as they come, until the connection closes (then the enumeration ends;
    /// <see cref="CloseReason"/> says why) or <paramref name="ct"/> fires (then it throws <see cref="OperationCanceledException"/>). An <c>events.overflow</c> event means
    /// events were lost (on the server or here): catch up with <see cref="ChangesAsync"/> and subscribe again.
    /// </summary>
    /// <param name="ct">Stops the enumeration.</param>
    public async IAsyncEnumerable<EventDto> ReadEventsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var lastState = 0L;
        while (await _events.Reader.WaitToReadAsync(ct))
        {
            while (_events.Reader.TryRead(out var frame))
            {
                if (frame.Head.ValueKind != JsonValueKind.Object || !frame.Head.TryGetProperty("event", out _))
                {
                    continue;
                }

                var pushed = frame.Head.Deserialize(ClientJson.Event);
                if (pushed is null)
                {
                    continue;
                }

                lastState = Math.Max(lastState, pushed.State);
                yield return pushed;
            }

            if (Interlocked.Exchange(ref _eventsLost, 0) != 0)
            {
                yield return new EventDto(EventNames.Overflow, lastState);
            }
        }
    }

    /// <summary>
    /// What changed after <paramref name="since"/> in the account, or in one folder: one page (see
    /// <see cref="ChangesPage.More"/>).
    /// </summary>
    /// <param name="since">A state from <see cref="SubscribeAsync"/>, an event, or an earlier page.</param>
    /// <param name="folder">Only this folder; null for the whole account.</param>
    /// <param name="limit">About how many changes per page (a single command's changes are never split); null for the server's default (500).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException"><c>state.too-old</c> when the server no longer knows what changed since then: list everything again.</exception>
    public async Task<ChangesPage> ChangesAsync(long since, string? folder = null, int? limit = null, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.Changes, (since, folder, limit), static (w, s) =>
        {
            w.WriteNumber("since"u8, s.since);
            if (s.folder is not null)
            {
                w.WriteString("folder"u8, s.folder);
            }

            if (s.limit is { } l)
            {
                w.WriteNumber("limit"u8, l);
            }
        });
        var reply = await CommandAsync(head, default, ct);
        var changes = reply.Head.Deserialize(ClientJson.Changes)
            ?? throw new ButterflyException("server.internal", "The changes reply is empty.");
        return new ChangesPage(changes.Since, changes.State, changes.More, changes.Folders ?? [], changes.Created ?? [], changes.Changed ?? [], changes.Removed ?? []);
    }
}
