namespace Butterfly.Storage.Postgres.Import;

/// <summary>
/// A table to move: the columns SQLite has (PostgreSQL may have more, left to their defaults: the search
/// vector, lease columns), its primary key (both sides are read in its order) and its identity column.
/// </summary>
internal sealed record ImportTable(string Name, IReadOnlyList<ImportColumn> Columns, IReadOnlyList<ImportColumn> Key, string? Identity)
{
    /// <summary>The column whose bytes the verification hashes (contents' data) rather than compares.</summary>
    public ImportColumn? HashedData => Name == "contents" ? Columns.Single(c => c.Name == "data") : null;

    /// <summary>The columns the verification compares value by value (all but the hashed data).</summary>
    public IReadOnlyList<ImportColumn> Compared => Columns.Where(c => c != HashedData).ToList();

    public string Quoted => "\"" + Name + "\"";

    /// <summary>The SQLite query that reads <paramref name="columns"/> in key order.</summary>
    public string SqliteSelect(IEnumerable<ImportColumn> columns) =>
        $"SELECT {string.Join(", ", columns.Select(c => c.Quoted))} FROM {Quoted} ORDER BY {string.Join(", ", Key.Select(c => c.Quoted))}";

    /// <summary>
    /// The PostgreSQL query that reads <paramref name="columns"/> in the same order as SQLite: text keys compared
    /// byte by byte (<c>COLLATE "C"</c>, SQLite's BINARY), whatever collation the column has.
    /// </summary>
    public string PostgresSelect(IEnumerable<ImportColumn> columns) =>
        $"SELECT {string.Join(", ", columns.Select(c => c.Quoted))} FROM {Quoted} ORDER BY "
        + string.Join(", ", Key.Select(c => c.Type == ImportColumnType.Text ? c.Quoted + " COLLATE \"C\"" : c.Quoted));
}
