namespace Butterfly.Storage.Postgres.Import;

/// <summary>Why a migration refused or failed (<see cref="ImportResult.Detail"/> says it in a sentence).</summary>
public enum ImportError
{
    /// <summary>There is no SQLite database at the path given.</summary>
    SourceNotFound,

    /// <summary>A daemon (or another tool) holds the SQLite database's data folder.</summary>
    SourceInUse,

    /// <summary>The SQLite database is not at the schema version this build knows, or has a table it does not.</summary>
    SourceSchema,

    /// <summary>The PostgreSQL server could not be reached, or refused to open as a store.</summary>
    TargetUnavailable,

    /// <summary>The PostgreSQL database already holds data.</summary>
    TargetNotEmpty,

    /// <summary>The copy failed; its transaction was rolled back, so the target holds nothing of it.</summary>
    CopyFailed,

    /// <summary>The copy committed, but reading it back found differences (<see cref="ImportResult.Mismatches"/>).</summary>
    VerifyFailed,
}
