using Butterfly.Server.Delivery;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Tests.Federation;

/// <summary>An outbound filter stage with one fixed verdict.</summary>
internal sealed class QueueFixedFilter(FilterAction action, string? code, string? reason, byte[]? replacement = null) : IFilterChain
{
    public bool HasStage(FilterStage stage) => stage == FilterStage.Outbound;

    public string? ClaimantOf(string address) => null;

    public Task<FilterOutcome> RunAsync(FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        Assert.Equal(FilterStage.Outbound, stage);
        var unchanged = FilterOutcome.Unchanged(replacement ?? message, envelope.Recipients);
        return Task.FromResult(unchanged with { Action = action, Code = code, Reason = reason });
    }

    public Task<FilterOutcome> RunClaimAsync(string filter, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct) =>
        throw new InvalidOperationException("The outbound queue never runs claims.");
}
