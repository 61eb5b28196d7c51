using Butterfly.Server.Configuration;

namespace Butterfly.Server.Queue;

/// <summary>When to try a queued message again, when to tell the sender of a delay, and when to give up (<c>queue</c> in butterfly.json).</summary>
internal sealed class RetrySchedule
{
    private readonly TimeSpan[] _retries;

    public RetrySchedule(QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _retries = options.EffectiveRetrySeconds.Select(s => TimeSpan.FromSeconds(Math.Max(0, s))).ToArray();
        GiveUpAfter = TimeSpan.FromSeconds(Math.Max(0, options.GiveUpAfterSeconds));
        DelayNoticeAfter = options.DelayNoticeAfterSeconds > 0 ? TimeSpan.FromSeconds(options.DelayNoticeAfterSeconds) : null;
        PollInterval = TimeSpan.FromMinutes(1);
    }

    /// <summary>How long after queueing the remaining recipients are bounced.</summary>
    public TimeSpan GiveUpAfter { get; }

    /// <summary>How long after queueing the sender is told once of the delay; null when notices are off.</summary>
    public TimeSpan? DelayNoticeAfter { get; }

    /// <summary>
    /// The longest the worker sleeps without being woken: it sleeps until the next entry falls due,
    /// and whatever changes the queue while the daemon runs wakes it (the control socket's
    /// <c>queue.retry</c> included), so this only bounds the effect of a clock that jumped.
    /// </summary>
    public TimeSpan PollInterval { get; }

    /// <summary>When to try next after failed attempt number <paramref name="failedAttempts"/> (1 after the first failure).</summary>
    /// <param name="failedAttempts">Failed attempts so far, including the one just made.</param>
    /// <param name="now">The time of the failure.</param>
    public DateTimeOffset NextAttempt(int failedAttempts, DateTimeOffset now) =>
        now + _retries[Math.Clamp(failedAttempts - 1, 0, _retries.Length - 1)];

    /// <summary>Whether a message queued at <paramref name="queued"/> has waited long enough to give up.</summary>
    public bool ShouldGiveUp(DateTimeOffset queued, DateTimeOffset now) => now - queued >= GiveUpAfter;

    /// <summary>Whether a message queued at <paramref name="queued"/> and not yet notified deserves a delay notice.</summary>
    public bool ShouldNotifyDelay(DateTimeOffset queued, DateTimeOffset now, bool notified) =>
        !notified && DelayNoticeAfter is { } after && now - queued >= after;
}
