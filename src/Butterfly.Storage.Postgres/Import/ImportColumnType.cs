namespace Butterfly.Storage.Postgres.Import;

/// <summary>The PostgreSQL types the store's tables use, which a SQLite value is written as.</summary>
internal enum ImportColumnType
{
    Bigint,
    Integer,
    Boolean,
    Text,
    Bytea,
}
