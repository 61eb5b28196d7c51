using Butterfly.Server.Configuration;

namespace Butterfly.Server.Federation.Queue;

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
        PollInterval = TimeSpan.FromMilliseconds(Math.Clamp(_retries.Min().TotalMilliseconds / 2, 50, 1000));
    }

    /// <summary>How long after queueing the remaining recipients are bounced.</summary>
    public TimeSpan GiveUpAfter { get; }

    /// <summary>How long after queueing the sender is told once of the delay; null when notices are off.</summary>
    public TimeSpan? DelayNoticeAfter { get; }

    /// <summary>
    /// How often the worker looks at the store without being woken: at most a second (so that
    /// <c>butterfly queue retry</c>, which only writes the store, takes effect within it), shorter
    /// when the schedule is short.
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
