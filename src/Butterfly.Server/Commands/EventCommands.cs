using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Events;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>events.subscribe and events.unsubscribe (protocol/client.md, "Events").</summary>
internal static class EventCommands
{
    public static async ValueTask<Reply> SubscribeAsync(CommandContext context)
    {
        if (!Fields.TryStrings(context.Head, "kinds", 16, out var names, out var error))
        {
            return error;
        }

        var kinds = EventKinds.All;
        if (context.Head.TryGetProperty("kinds", out _) && names.Count > 0)
        {
            if (!EventKindNames.TryParse(names, out kinds, out var unknown))
            {
                return Reply.Fail(ErrorCode.RequestInvalid, $"Unknown event kind '{unknown}'; kinds are message, folder, {string.Join(", ", EventNames.All)}.");
            }
        }

        var session = context.Session;
        var hub = context.Services.Events;
        var subscriber = new EventSubscriber(context.Account.Id, kinds, hub.MaxQueuedPerSession, session.Push);

        // A second subscribe replaces the first: its kinds and its state.
        hub.Unsubscribe(session.ReplaceSubscription(subscriber));
        var state = await hub.SubscribeAsync(subscriber);
        return JsonReply.Ok(new EventsSubscribeReply(state, EventKindNames.ToNames(kinds)), ProtocolJson.Default.EventsSubscribeReply);
    }

    public static ValueTask<Reply> UnsubscribeAsync(CommandContext context)
    {
        context.Services.Events.Unsubscribe(context.Session.ReplaceSubscription(null));
        return ValueTask.FromResult(Reply.Ok);
    }
}
