namespace Butterfly.Server.Configuration;

/// <summary>Storage quotas (<c>quota</c> in butterfly.json).</summary>
public sealed class QuotaOptions
{
    /// <summary>
    /// The quota of an account the operator gave none of its own (<c>butterfly quota set</c>): bytes, or
    /// with K, M or G (<c>"2G"</c>). Null (the default) means no quota.
    /// </summary>
    public string? Default { get; set; }

    /// <summary>The default quota in bytes; null for none. Valid after <see cref="Validate"/>.</summary>
    public long? DefaultBytes => Default is null ? null : ByteSize.TryParse(Default, out var bytes) ? bytes : null;

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (Default is not null && !ByteSize.TryParse(Default, out _))
        {
            yield return $"quota.default: '{Default}' is not a size (bytes, or a number with K, M or G, e.g. \"2G\"), nor null for none.";
        }
    }
}
