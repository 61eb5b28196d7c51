namespace Butterfly.Server.Configuration;

/// <summary>One expected filter daemon (an entry of <c>filters</c> in butterfly.json, in chain order; protocol/filter.md, "Configuration").</summary>
public sealed class FilterOptions
{
    /// <summary>The policies <see cref="OnFailure"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Policies = ["tempfail", "accept", "reject"];

    /// <summary>The stages <see cref="Stages"/> accepts.</summary>
    public static readonly IReadOnlyList<string> StageNames = ["inbound", "outbound"];

    /// <summary>The name the filter registers with.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The stages it runs at: <c>inbound</c>, <c>outbound</c>; empty for a filter that only handles addresses it claims.</summary>
    public List<string> Stages { get; set; } = [];

    /// <summary>Seconds to wait for its verdict before the failure policy applies. Default 5.</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>What happens when it is absent, too slow or crashes: <c>tempfail</c> (default), <c>accept</c> or <c>reject</c>.</summary>
    public string OnFailure { get; set; } = "tempfail";

    /// <summary>Addresses it claims, known before it first connects (it may claim more at registration).</summary>
    public List<string> Claims { get; set; } = [];

    /// <summary>Checks this entry; returns the problems found.</summary>
    /// <param name="filters">All entries, in order.</param>
    internal static IEnumerable<string> Validate(IReadOnlyList<FilterOptions> filters)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            var where = $"filters[{i}]";
            if (string.IsNullOrWhiteSpace(filter.Name))
            {
                yield return $"{where}.name is required.";
            }
            else if (!names.Add(filter.Name))
            {
                yield return $"{where}.name: '{filter.Name}' is listed twice.";
            }

            if (!Policies.Contains(filter.OnFailure, StringComparer.Ordinal))
            {
                yield return $"{where}.onFailure: '{filter.OnFailure}' is not one of tempfail, accept, reject.";
            }

            foreach (var stage in filter.Stages)
            {
                if (!StageNames.Contains(stage, StringComparer.Ordinal))
                {
                    yield return $"{where}.stages: '{stage}' is not one of inbound, outbound.";
                }
            }

            if (filter.TimeoutSeconds is <= 0 or > 3600 || double.IsNaN(filter.TimeoutSeconds))
            {
                yield return $"{where}.timeoutSeconds must be more than 0 and at most 3600.";
            }
        }
    }
}
