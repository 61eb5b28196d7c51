using System.Globalization;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Commands;
using Butterfly.Server.Wire;
using Butterfly.Storage;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary><c>queue.list</c>, <c>queue.retry</c>, <c>queue.drop</c> (control.md, "Queue").</summary>
internal static class QueueCommands
{
    public static async ValueTask<Reply> ListAsync(ControlRequest request)
    {
        var entries = await request.Services.Store.Queue.ListAsync(null, request.Aborted);
        var dtos = entries.Select(e => new QueueEntryDto(
            e.Id,
            KindName(e.Kind),
            e.DeliveryId,
            e.Domain,
            e.Sender,
            e.Recipients,
            e.Size,
            Timestamp(e.Created),
            e.Attempts,
            Timestamp(e.NextAttempt),
            e.LastError,
            e.DelayNotified)).ToList();
        return JsonReply.Ok(new QueueListReply(dtos), ProtocolJson.Default.QueueListReply);
    }

    public static async ValueTask<Reply> RetryAsync(ControlRequest request)
    {
        if (!Fields.TryLong(request.Head, "id", out var id, out var error))
        {
            return error;
        }

        var services = request.Services;
        var count = await services.Store.Queue.RetryAsync(id, DateTimeOffset.UtcNow, request.Aborted);
        if (id is not null && count == 0)
        {
            return NotFound(id.Value);
        }

        // The workers look at once instead of at their next timer tick.
        services.QueueChanged();
        services.Logger.LogInformation("Operator made {Count} queued message(s) due now{Which}", count, id is null ? string.Empty : $" (id {id})");
        return JsonReply.Ok(new QueueRetryReply(count), ProtocolJson.Default.QueueRetryReply);
    }

    public static async ValueTask<Reply> DropAsync(ControlRequest request)
    {
        if (!Fields.TryLong(request.Head, "id", out var id, out var error))
        {
            return error;
        }

        if (id is null)
        {
            return Fields.Invalid("id", "a queue id (a whole number from 1)");
        }

        if (!await request.Services.Store.Queue.RemoveAsync(id.Value, request.Aborted))
        {
            return NotFound(id.Value);
        }

        request.Services.Logger.LogInformation("Operator dropped queued message {Id}", id.Value);
        return JsonReply.Ok(new QueueDropReply(id.Value), ProtocolJson.Default.QueueDropReply);
    }

    private static Reply NotFound(long id) =>
        Reply.Fail(ErrorCode.QueueNotFound, $"No queued message {id} (see butterfly queue list).");

    private static string KindName(QueueKind kind) => kind switch
    {
        QueueKind.Outbound => "outbound",
        QueueKind.Inbound => "inbound",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
}
