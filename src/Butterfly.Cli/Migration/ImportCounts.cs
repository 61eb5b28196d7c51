namespace Butterfly.Cli.Migration;

/// <summary>What an import did so far.</summary>
internal sealed class ImportCounts
{
    /// <summary>Messages stored.</summary>
    public long Imported { get; set; }

    /// <summary>Messages the folder held already (same bytes: same Message-ID and content), skipped.</summary>
    public long Duplicates { get; set; }

    /// <summary>Messages the server refused (too large, malformed), skipped.</summary>
    public long Refused { get; set; }

    /// <summary>Bytes stored.</summary>
    public long Bytes { get; set; }

    /// <summary>Every message handled.</summary>
    public long Done => Imported + Duplicates + Refused;
}
