using Butterfly.Mime;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Butterfly.Server.Mail;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Filters;

/// <summary>
/// The configured filters as the delivery pipeline runs them (protocol/filter.md, "The chain"):
/// each filter of a stage in configuration order, each with its timeout, and its failure policy
/// when it is absent, too slow or its connection drops before it answers.
/// </summary>
internal sealed partial class FilterChain : IFilterChain
{
    private readonly ButterflyOptions _options;
    private readonly FilterRegistry _registry;
    private readonly ILogger _logger;
    private readonly ParserOptions _parser;

    public FilterChain(ButterflyOptions options, FilterRegistry registry, ILoggerFactory loggers)
    {
        _options = options;
        _registry = registry;
        _logger = loggers.CreateLogger("Butterfly.Filters");
        _parser = new ParserOptions
        {
            MaxDepth = options.Limits.MaxMimeDepth,
            MaxParts = options.Limits.MaxMimeParts,
            MaxHeaderBlockBytes = options.Limits.MaxHeaderBytes,
        };
    }

    /// <inheritdoc/>
    public bool HasStage(FilterStage stage)
    {
        if (stage == FilterStage.Claim)
        {
            return _registry.HasClaims;
        }

        var name = FilterRequest.StageName(stage);
        return _options.Filters.Exists(f => f.Stages.Contains(name, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public string? ClaimantOf(string address) => _registry.ClaimantOf(address);

    /// <inheritdoc/>
    public async Task<FilterOutcome> RunAsync(FilterStage stage, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        var stageName = FilterRequest.StageName(stage);
        var state = new ChainState(message, envelope.Recipients);
        foreach (var filter in _options.Filters)
        {
            if (!filter.Stages.Contains(stageName, StringComparer.Ordinal))
            {
                continue;
            }

            var call = await CallAsync(filter, stage, envelope with { Recipients = state.Recipients }, state.Message, state.Parse(_parser), ct);
            var stop = Decide(filter, call, state);
            if (stop is not null)
            {
                return stop;
            }
        }

        return state.ToOutcome(FilterAction.Accept);
    }

    /// <inheritdoc/>
    public async Task<FilterOutcome> RunClaimAsync(string filter, Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        // filter.md, "Claimed addresses": only the claimant sees the message; nothing is stored for
        // the claimed addresses themselves, so the outcome's recipients are only those it added.
        var config = _options.Filters.Find(f => f.Name == filter)
            ?? new FilterOptions { Name = filter, OnFailure = "tempfail" };
        var state = new ChainState(message, envelope.Recipients);
        var call = await CallAsync(config, FilterStage.Claim, envelope, message, state.Parse(_parser), ct);
        var stop = Decide(config, call, state);
        if (stop is not null)
        {
            return stop with { Recipients = [] };
        }

        var added = state.Recipients.Where(r => !envelope.Recipients.Contains(r, StringComparer.Ordinal)).ToList();
        return state.ToOutcome(FilterAction.Accept, added);
    }

    /// <summary>
    /// Applies one filter's answer to <paramref name="state"/>. Returns the outcome when the chain
    /// stops here (reject, tempfail, discard, or a failure under the reject or tempfail policy).
    /// </summary>
    private FilterOutcome? Decide(FilterOptions filter, FilterCall call, ChainState state)
    {
        var verdict = call.Verdict;
        var failure = call.Failure;
        if (verdict is not null)
        {
            failure = state.Apply(verdict, _parser);
        }

        if (failure is not null)
        {
            // filter.md, "Failure policies".
            switch (filter.OnFailure)
            {
                case "accept":
                    _logger.LogWarning("Filter {Name} {Failure}: skipped (onFailure accept)", filter.Name, failure);
                    return null;
                case "reject":
                    _logger.LogWarning("Filter {Name} {Failure}: message refused (onFailure reject)", filter.Name, failure);
                    return Stop(state, FilterAction.Reject, ErrorCode.FilterRejected.ToWire(), $"The message could not be checked: filter '{filter.Name}' {failure}.");
                default:
                    _logger.LogWarning("Filter {Name} {Failure}: message held for a retry (onFailure tempfail)", filter.Name, failure);
                    return Stop(state, FilterAction.TempFail, ErrorCode.FilterTempFail.ToWire(), $"The message could not be checked now: filter '{filter.Name}' {failure}; it will be tried again.");
            }
        }

        // filter.md, "Verdicts": quarantine continues the chain; reject, tempfail and discard stop it.
        return verdict!.Kind switch
        {
            "reject" => Stop(state, FilterAction.Reject, verdict.Code ?? ErrorCode.FilterRejected.ToWire(), verdict.Reason ?? $"Refused by filter '{filter.Name}'."),
            "tempfail" => Stop(state, FilterAction.TempFail, verdict.Code ?? ErrorCode.FilterTempFail.ToWire(), verdict.Reason ?? $"Filter '{filter.Name}' asks to try again later."),
            "discard" => state.ToOutcome(FilterAction.Discard),
            _ => null,
        };
    }

    private static FilterOutcome Stop(ChainState state, FilterAction action, string code, string reason) =>
        // Injections are delivered only when the message is accepted or discarded: a held message
        // comes back through the chain, and a refused one should leave no trace.
        state.ToOutcome(action) with { Code = code, Reason = reason, Injections = [] };
}
