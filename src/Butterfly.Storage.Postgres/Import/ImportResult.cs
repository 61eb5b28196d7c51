namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// The outcome of <see cref="PostgresImport.RunAsync"/>: success with the counts it verified, a refusal
/// before anything was written, a copy that failed and was rolled back, or a committed copy whose
/// verification found differences.
/// </summary>
public sealed class ImportResult
{
    /// <summary>Why it refused or failed; null on success.</summary>
    public ImportError? Error { get; init; }

    /// <summary>A sentence naming what went wrong (the table, the row, the server's message); null on success.</summary>
    public string? Detail { get; init; }

    /// <summary>Each table copied, in copy order, with its counts on both sides (empty when refused before the copy).</summary>
    public IReadOnlyList<ImportTableCount> Tables { get; init; } = [];

    /// <summary>Rows that differ after the commit (at most a few per table); empty on success.</summary>
    public IReadOnlyList<ImportMismatch> Mismatches { get; init; } = [];

    /// <summary>Contents whose SHA-256 was recomputed from the target's bytes and found equal to both databases' hash.</summary>
    public long ContentsVerified { get; init; }

    /// <summary>Contents queued for the target's search indexer (<c>search_pending</c>).</summary>
    public long SearchPending { get; init; }

    /// <summary>Whether the whole installation was moved and verified.</summary>
    public bool Ok => Error is null;

    internal static ImportResult Failure(ImportError error, string detail) => new() { Error = error, Detail = detail };
}
