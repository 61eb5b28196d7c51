namespace Butterfly.Storage.Postgres.Import;

/// <summary>How far a migration has come in one table.</summary>
/// <param name="Table">The table.</param>
/// <param name="Phase">Copying or verifying.</param>
/// <param name="Rows">Rows done in this table so far.</param>
/// <param name="TotalRows">Rows the table holds in the SQLite database.</param>
/// <param name="Bytes">Bytes of binary columns (message contents) done so far.</param>
/// <param name="TotalBytes">Bytes of binary columns the table holds.</param>
public readonly record struct ImportProgress(string Table, ImportPhase Phase, long Rows, long TotalRows, long Bytes, long TotalBytes)
{
    /// <summary>Whether the table is done (in this phase).</summary>
    public bool Done => Rows >= TotalRows;
}
