using System.Text.Json;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Wire;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Control;

/// <summary>
/// One operator's requests, in order of arrival: the head is parsed, <c>hello</c> must come first
/// (control.md, "hello"), and the command is looked up in <see cref="ControlCommandTable"/>. The
/// control socket runs one per connection; the CLI runs one in-process when no daemon holds the
/// data folder, so both ways answer with the same bytes.
/// </summary>
internal sealed class ControlConversation(OperatorServices services)
{
    private readonly JsonDocumentOptions _jsonOptions = new() { MaxDepth = services.Options.Limits.MaxJsonDepth };
    private volatile bool _greeted;

    /// <summary>
    /// Answers one request. Everything up to the command's start runs before this returns, so a
    /// <c>hello</c> counts for the request read right after it even when replies are not awaited.
    /// </summary>
    /// <param name="head">The request's UTF-8 JSON head.</param>
    /// <param name="aborted">Cancelled when nobody waits for the answer any more.</param>
    public ValueTask<Reply> ExecuteAsync(ReadOnlyMemory<byte> head, CancellationToken aborted)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(head, _jsonOptions);
        }
        catch (JsonException)
        {
            return ValueTask.FromResult(Reply.Fail(JsonErrors.Classify(new System.Buffers.ReadOnlySequence<byte>(head), _jsonOptions.MaxDepth)));
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("cmd"u8, out var cmd)
            || cmd.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            return ValueTask.FromResult(Reply.Fail(ErrorCode.RequestInvalid, "The head must be a JSON object with a string \"cmd\"."));
        }

        var name = cmd.GetString()!;
        if (!ControlCommandTable.TryGet(name, out var handler))
        {
            document.Dispose();
            return ValueTask.FromResult(Reply.Fail(
                ErrorCode.RequestUnknownCommand,
                $"Unknown command '{(name.Length <= 64 ? name : name[..64] + "…")}' (the control socket serves {string.Join(", ", ControlCommandNames.All)})."));
        }

        var isHello = name == ControlCommandNames.Hello;
        if (!isHello && !_greeted)
        {
            document.Dispose();
            return ValueTask.FromResult(Reply.Fail(ErrorCode.HelloRequired));
        }

        ValueTask<Reply> pending;
        try
        {
            pending = handler(new ControlRequest(services, root, aborted));
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromResult(Fail(ex, name, aborted));
        }

        if (pending.IsCompletedSuccessfully)
        {
            var reply = pending.Result;
            document.Dispose();
            if (isHello && reply.Error == ErrorCode.None)
            {
                _greeted = true;
            }

            return ValueTask.FromResult(reply);
        }

        return CompleteAsync(pending, name, document, aborted);
    }

    private async ValueTask<Reply> CompleteAsync(ValueTask<Reply> pending, string name, JsonDocument document, CancellationToken aborted)
    {
        try
        {
            return await pending;
        }
        catch (Exception ex)
        {
            return Fail(ex, name, aborted);
        }
        finally
        {
            document.Dispose();
        }
    }

    private Reply Fail(Exception ex, string command, CancellationToken aborted)
    {
        if (ex is OperationCanceledException && aborted.IsCancellationRequested)
        {
            return Reply.Fail(ErrorCode.ServerShuttingDown);
        }

        var incident = Incidents.NewId();
        services.Logger.LogError(ex, "Operator command {Command} failed (incident {Incident})", command, incident);
        return Incidents.Fail(incident);
    }
}
