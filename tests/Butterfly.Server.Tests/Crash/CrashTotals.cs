namespace Butterfly.Server.Tests.Crash;

/// <summary>What the kill -9 harness counted over its rounds.</summary>
internal sealed class CrashTotals
{
    /// <summary>Rounds completed (kill -9, integrity check, restart, every count checked).</summary>
    public int Rounds { get; set; }

    /// <summary>Sends acknowledged, before the kill or after a retry.</summary>
    public int Acknowledged { get; set; }

    /// <summary>Of those, sends acknowledged only after the client reconnected and retried with the same submission id.</summary>
    public int AcknowledgedAfterRetry { get; set; }

    /// <summary>Sends cut off by the kill and given up (no retry).</summary>
    public int Abandoned { get; set; }

    /// <summary>Of those, how many the daemon had committed anyway (present once).</summary>
    public int AbandonedButStored { get; set; }

    /// <summary>Acknowledged sends missing after the restart (must be 0).</summary>
    public int Lost { get; set; }

    /// <summary>Subjects found more than once, or in Inbox without Sent (must be 0).</summary>
    public int Duplicated { get; set; }

    public override string ToString() =>
        $"rounds {Rounds}, acknowledged {Acknowledged} (after a retry with the same submission id: {AcknowledgedAfterRetry}), "
        + $"lost {Lost}, duplicated {Duplicated}; cut off and abandoned {Abandoned} (stored anyway, once: {AbandonedButStored}); integrity_check ok every round";
}
