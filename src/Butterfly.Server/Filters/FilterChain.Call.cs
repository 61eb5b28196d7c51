using System.Globalization;
using System.Text.Json;
using Butterfly.Mime;
using Butterfly.Server.Configuration;
using Butterfly.Server.Mail;
using Butterfly.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Filters;

/// <summary>Asking one filter: a slot on one of its connections, the request, the timeout.</summary>
internal sealed partial class FilterChain
{
    private async Task<FilterCall> CallAsync(FilterOptions filter, FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, MimeMessage? parsed, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var call = await AskAsync(filter, stage, envelope, message, parsed, ct);
        ButterflyMetrics.FilterDuration.Record(
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("filter", filter.Name),
            new KeyValuePair<string, object?>("stage", FilterRequest.StageName(stage)),
            new KeyValuePair<string, object?>("result", call.Verdict is null ? "failed" : "answered"));
        return call;
    }

    private async Task<FilterCall> AskAsync(FilterOptions filter, FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, MimeMessage? parsed, CancellationToken ct)
    {
        var head = FilterRequest.Build(stage, envelope, message, parsed);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(filter.TimeoutSeconds));
        FilterConnection? connection = null;
        try
        {
            // filter.md, "Timeouts": waiting for a free slot counts against the filter's timeout.
            connection = await _registry.AcquireAsync(filter.Name, stage, timeout.Token);
            if (connection is null)
            {
                return new FilterCall(null, "is not connected");
            }

            using var response = await connection.RequestAsync(head, message, timeout.Token);
            var root = response.Head.RootElement;
            if (!root.TryGetProperty("ok"u8, out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                var code = root.TryGetProperty("code"u8, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : "unknown";
                return new FilterCall(null, $"answered with an error ({code})");
            }

            if (!VerdictParser.TryParse(root, response.Body, connection.Actions, filter.Name, out var verdict, out var problem))
            {
                _logger.LogWarning("Filter {Name} gave an invalid verdict: {Problem}", filter.Name, problem);
                return new FilterCall(null, "gave an invalid verdict (" + problem + ")");
            }

            _logger.LogDebug("Filter {Name}: {Verdict} ({Stage})", filter.Name, verdict!.Kind, FilterRequest.StageName(stage));
            return new FilterCall(verdict, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new FilterCall(null, string.Create(CultureInfo.InvariantCulture, $"did not answer within {filter.TimeoutSeconds:0.###} s"));
        }
        catch (FilterLostException)
        {
            return new FilterCall(null, "closed its connection before answering");
        }
        finally
        {
            connection?.ReleaseSlot();
        }
    }
}
