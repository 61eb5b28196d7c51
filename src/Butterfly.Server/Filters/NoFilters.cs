using Butterfly.Server.Mail;

namespace Butterfly.Server.Filters;

/// <summary>The chain when no filter is configured: everything passes unchanged.</summary>
internal sealed class NoFilters : IFilterChain
{
    public static NoFilters Instance { get; } = new();

    public bool HasStage(FilterStage stage) => false;

    public string? ClaimantOf(string address) => null;

    public Task<FilterOutcome> RunAsync(FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct) =>
        Task.FromResult(FilterOutcome.Unchanged(message, envelope.Recipients));

    public Task<FilterOutcome> RunClaimAsync(string filter, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct) =>
        Task.FromResult(FilterOutcome.Unchanged(message, envelope.Recipients));
}
