namespace Butterfly.Client;

/// <summary>
/// How <see cref="ReconnectingClient"/> retries a <c>send</c> or <c>message.store</c> that got no
/// reply: up to <see cref="MaxAttempts"/> attempts in all, waiting <see cref="FirstDelay"/> before
/// the first retry and twice as long before each next one, at most <see cref="MaxDelay"/>. With the
/// defaults: 6 attempts over about 8 s (0.25, 0.5, 1, 2, 4 s between them), enough for a daemon
/// restart; every attempt carries the same submission id, so however many reach the server, the
/// message is stored once.
/// </summary>
public sealed class SubmissionRetryPolicy
{
    /// <summary>Attempts in all, the first included (at least 1). Default 6.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait before the first retry. Default 250 ms.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two attempts. Default 4 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1 for the first).</summary>
    internal TimeSpan DelayAfter(int attempt)
    {
        var delay = FirstDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
