using Butterfly.Server.Mail;

namespace Butterfly.Server.Filters;

/// <summary>
/// The filters configured in <c>butterfly.json</c>, as the delivery pipeline sees them
/// (protocol/filter.md). Failure policies (absent, too slow, crashed) are applied inside: the
/// outcome is always a decision.
/// </summary>
internal interface IFilterChain
{
    /// <summary>Whether any filter is configured for <paramref name="stage"/>.</summary>
    bool HasStage(FilterStage stage);

    /// <summary>The name of the filter that claims <paramref name="address"/> (normalized), or null.</summary>
    string? ClaimantOf(string address);

    /// <summary>Runs the message through every filter of <paramref name="stage"/> in the configured order.</summary>
    Task<FilterOutcome> RunAsync(FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct);

    /// <summary>Hands mail for claimed addresses to the claiming filter (stage <see cref="FilterStage.Claim"/>).</summary>
    /// <param name="filter">The claiming filter's name.</param>
    /// <param name="envelope">The envelope, its recipients only the addresses this filter claims.</param>
    /// <param name="message">The message.</param>
    /// <param name="ct">Cancels the wait.</param>
    Task<FilterOutcome> RunClaimAsync(string filter, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct);
}
