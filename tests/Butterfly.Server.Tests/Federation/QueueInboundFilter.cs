using System.Collections.Concurrent;
using Butterfly.Server.Filters;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Tests.Federation;

/// <summary>An inbound filter stage that records what it sees and answers every message the same way.</summary>
/// <param name="action">The verdict.</param>
/// <param name="folder">Where accepted mail is filed (every recipient), or null for Inbox.</param>
internal sealed class QueueInboundFilter(FilterAction action, string? folder = null) : IFilterChain
{
    /// <summary>The envelopes of the messages seen, in order.</summary>
    public ConcurrentQueue<Envelope> Seen { get; } = new();

    public bool HasStage(FilterStage stage) => stage == FilterStage.Inbound;

    public string? ClaimantOf(string address) => null;

    public Task<FilterOutcome> RunAsync(FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        Assert.Equal(FilterStage.Inbound, stage);
        Seen.Enqueue(envelope);
        var outcome = FilterOutcome.Unchanged(message, envelope.Recipients) with { Action = action };
        return Task.FromResult(action == FilterAction.Reject
            ? outcome with { Code = "filter.rejected", Reason = "no notices here" }
            : folder is null ? outcome : outcome with { Folders = new Dictionary<string, string> { ["*"] = folder } });
    }

    public Task<FilterOutcome> RunClaimAsync(string filter, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct) =>
        throw new InvalidOperationException("No address is claimed here.");
}
