namespace Butterfly.Storage.Internal;

/// <summary>Script rows written inside a delivery commit or on their own: the run log, state, schedule.</summary>
internal static class ScriptRows
{
    private const string InsertRunSql =
        "INSERT INTO script_runs (address, at, trigger, outcome, committed, version, delivery, sender, message_id, effects, error, log, statements, elapsed_us) "
        + "VALUES ($a, $at, $t, $o, $c, $v, $d, $s, $m, $e, $err, $l, $st, $el) RETURNING id";

    private const string PruneSql =
        "DELETE FROM script_runs WHERE address = $a AND id <= (SELECT id FROM script_runs WHERE address = $a ORDER BY id DESC LIMIT 1 OFFSET $k)";

    /// <summary>Applies a run's record; a failure (conflict) means the caller's whole item rolls back.</summary>
    public static StoreFailure? Apply(WriterContext context, ScriptRunRecord record, long nowMs)
    {
        var address = record.Run.Address;
        if (record.ConsumeQueueId is { } queueId)
        {
            var kind = context.Command("SELECT kind FROM queue WHERE id = $id").Bind("$id", queueId).ScalarInt64();
            if (kind != (long)QueueKind.Script)
            {
                return Failures.ScriptConflict(address, "the incoming message");
            }

            context.Queue.Remove(queueId);
        }

        if (record.NewState is { } state)
        {
            var changed = context.Command("UPDATE scripts SET state = $s, state_version = state_version + 1 WHERE address = $a AND state_version = $v")
                .Bind("$s", state).Bind("$a", address).Bind("$v", record.ExpectedStateVersion).ExecuteNonQuery();
            if (changed == 0)
            {
                return Failures.ScriptConflict(address, "the state");
            }
        }

        if (record.ExpectedNextRun is { } due)
        {
            var moved = context.Command("UPDATE scripts SET next_run = $n WHERE address = $a AND next_run = $due")
                .Bind("$n", record.NextRun is { } next ? UnixTime.ToMs(next) : null).Bind("$a", address).Bind("$due", UnixTime.ToMs(due)).ExecuteNonQuery();
            if (moved == 0)
            {
                return Failures.ScriptConflict(address, "the schedule");
            }
        }

        InsertRun(context, record.Run, nowMs, record.KeepRuns);
        return null;
    }

    /// <summary>Adds a log row and keeps the newest <paramref name="keep"/> of the address.</summary>
    public static long InsertRun(WriterContext context, ScriptRun run, long nowMs, int keep)
    {
        var id = context.Command(InsertRunSql)
            .Bind("$a", run.Address).Bind("$at", nowMs).Bind("$t", run.Trigger).Bind("$o", run.Outcome).Bind("$c", run.Committed ? 1L : 0L)
            .Bind("$v", run.Version).Bind("$d", run.Delivery).Bind("$s", run.Sender).Bind("$m", run.MessageId).Bind("$e", run.Effects)
            .Bind("$err", run.Error).Bind("$l", run.Log).Bind("$st", run.Statements).Bind("$el", run.ElapsedMicroseconds)
            .ScalarInt64()!.Value;
        context.Command(PruneSql).Bind("$a", run.Address).Bind("$k", (long)Math.Max(1, keep)).ExecuteNonQuery();
        return id;
    }
}
