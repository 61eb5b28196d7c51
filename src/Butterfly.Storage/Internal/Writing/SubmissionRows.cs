using Microsoft.Data.Sqlite;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Submission records on the writer: looked up and inserted inside the transaction that stores the
/// mail, so a record exists exactly when its mail does, and two commits with one id (a retry racing
/// the original) store one copy: the second finds the first's record, even in the same batch.
/// </summary>
internal static class SubmissionRows
{
    public const string FindSql = "SELECT result, folder, message_id FROM submissions WHERE account_id = $a AND submission_id = $s";

    private const string InsertSql =
        "INSERT INTO submissions (account_id, submission_id, result, folder, message_id, created) VALUES ($a, $s, $r, $f, $m, $c)";

    /// <summary>The record of <paramref name="record"/>'s id, when one was committed before.</summary>
    public static SubmissionAnswer? Find(WriterContext context, SubmissionRecord record)
    {
        using var reader = context.Command(FindSql).Bind("$a", record.AccountId).Bind("$s", record.SubmissionId).ExecuteReader();
        return Read(reader, record.AccountId);
    }

    /// <summary>Records the id with the copy its answer names.</summary>
    public static void Insert(WriterContext context, SubmissionRecord record, DeliveredCopy copy, long nowMs)
        => context.Command(InsertSql)
            .Bind("$a", record.AccountId).Bind("$s", record.SubmissionId).Bind("$r", record.Result)
            .Bind("$f", copy.Folder).Bind("$m", copy.Id).Bind("$c", nowMs)
            .ExecuteNonQuery();

    public static SubmissionAnswer? Read(SqliteDataReader reader, long accountId)
        => reader.Read()
            ? new SubmissionAnswer(reader.GetString(0), new DeliveredCopy(accountId, reader.GetString(1), reader.GetInt64(2)))
            : null;
}
