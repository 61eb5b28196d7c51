namespace Butterfly.Storage.Internal;

/// <summary>
/// On the writer: the journal of folder creations, renames and deletions, which "changes since" reads
/// (a deleted folder's row is gone and a rename keeps no old name, so the rows alone cannot tell).
/// </summary>
internal static class FolderJournal
{
    private const string InsertSql =
        "INSERT INTO folder_changes (account_id, modseq, kind, folder_id, name, old_name, created) VALUES ($a, $m, $k, $f, $n, $o, $c)";

    public static void Record(WriterContext context, long accountId, long modSeq, FolderChangeKind kind, long folderId, string name, string? oldName = null)
        => context.Command(InsertSql)
            .Bind("$a", accountId).Bind("$m", modSeq).Bind("$k", (long)kind).Bind("$f", folderId).Bind("$n", name).Bind("$o", oldName)
            .Bind("$c", UnixTime.ToMs(DateTimeOffset.UtcNow)).ExecuteNonQuery();
}
