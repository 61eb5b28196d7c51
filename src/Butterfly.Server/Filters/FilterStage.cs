namespace Butterfly.Server.Filters;

/// <summary>Where in delivery a filter runs (protocol/filter.md, "Stages").</summary>
internal enum FilterStage
{
    /// <summary>Mail arriving for local accounts, from clients, peers or filters.</summary>
    Inbound,

    /// <summary>Mail leaving for a remote domain, before each delivery attempt.</summary>
    Outbound,

    /// <summary>Mail to an address a filter has claimed; only that filter sees it.</summary>
    Claim,
}
