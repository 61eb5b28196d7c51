namespace Butterfly.Server.Configuration;

/// <summary>The outbound queue and held inbound mail (<c>queue</c> in butterfly.json).</summary>
public sealed class QueueOptions
{
    /// <summary>
    /// Seconds to wait before each retry of a delivery to a peer: the first entry after the first
    /// failure, and so on; the last entry repeats until <see cref="GiveUpAfterSeconds"/>. Empty
    /// means <see cref="DefaultRetrySeconds"/>. (The list starts empty because the configuration
    /// binder appends to a list's existing items: a default here could not be replaced.)
    /// </summary>
    public List<double> RetrySeconds { get; set; } = [];

    /// <summary>The schedule when <see cref="RetrySeconds"/> is empty: minutes at first, then hours.</summary>
    public static IReadOnlyList<double> DefaultRetrySeconds { get; } = [60, 300, 900, 1800, 3600, 7200, 14400];

    /// <summary>The schedule in force: <see cref="RetrySeconds"/>, or the default when it is empty.</summary>
    public IReadOnlyList<double> EffectiveRetrySeconds => RetrySeconds.Count > 0 ? RetrySeconds : DefaultRetrySeconds;

    /// <summary>Seconds after queueing when a message still not delivered is bounced (default 5 days).</summary>
    public double GiveUpAfterSeconds { get; set; } = 5 * 24 * 3600;

    /// <summary>Seconds after queueing when the sender is told once that delivery is delayed (default 4 hours; 0 turns notices off).</summary>
    public double DelayNoticeAfterSeconds { get; set; } = 4 * 3600;

    /// <summary>Seconds between retries of inbound mail held because a filter could not decide.</summary>
    public double HeldRetrySeconds { get; set; } = 60;

    /// <summary>
    /// Deliveries to peers carried out at once (pipelined on one connection per domain). Each is a
    /// round trip through the peer's group commit, so many in flight are needed to fill its batches.
    /// </summary>
    public int Concurrency { get; set; } = 256;

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (RetrySeconds.Exists(s => s <= 0 || double.IsNaN(s)))
        {
            yield return "queue.retrySeconds must list positive numbers of seconds.";
        }

        if (GiveUpAfterSeconds <= 0)
        {
            yield return "queue.giveUpAfterSeconds must be positive.";
        }

        if (DelayNoticeAfterSeconds < 0)
        {
            yield return "queue.delayNoticeAfterSeconds must be 0 (off) or positive.";
        }

        if (HeldRetrySeconds <= 0)
        {
            yield return "queue.heldRetrySeconds must be positive.";
        }

        if (Concurrency < 1)
        {
            yield return "queue.concurrency must be at least 1.";
        }
    }
}
