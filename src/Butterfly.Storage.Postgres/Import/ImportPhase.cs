namespace Butterfly.Storage.Postgres.Import;

/// <summary>What a migration is doing when it reports progress.</summary>
public enum ImportPhase
{
    /// <summary>Copying a table's rows into the target (inside the one transaction).</summary>
    Copying,

    /// <summary>Reading a table back from both databases after the commit and comparing them.</summary>
    Verifying,
}
