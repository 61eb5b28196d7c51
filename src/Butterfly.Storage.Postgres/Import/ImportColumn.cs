namespace Butterfly.Storage.Postgres.Import;

/// <summary>A column present in both databases, with its PostgreSQL type.</summary>
internal sealed record ImportColumn(string Name, ImportColumnType Type)
{
    /// <summary>The name quoted for SQL (both databases quote with double quotes).</summary>
    public string Quoted => "\"" + Name + "\"";
}
