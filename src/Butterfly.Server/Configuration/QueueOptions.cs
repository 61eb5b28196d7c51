namespace Butterfly.Server.Configuration;

/// <summary>The outbound queue and held inbound mail (<c>queue</c> in butterfly.json).</summary>
public sealed class QueueOptions
{
    /// <summary>
    /// Seconds to wait before each retry of a delivery to a peer: the first entry after the first
    /// failure, and so on; the last entry repeats until <see cref="GiveUpAfterSeconds"/>.
    /// </summary>
    public List<double> RetrySeconds { get; set; } = [60, 300, 900, 1800, 3600, 7200, 14400];

    /// <summary>Seconds after queueing when a message still not delivered is bounced (default 5 days).</summary>
    public double GiveUpAfterSeconds { get; set; } = 5 * 24 * 3600;

    /// <summary>Seconds after queueing when the sender is told once that delivery is delayed (default 4 hours; 0 turns notices off).</summary>
    public double DelayNoticeAfterSeconds { get; set; } = 4 * 3600;

    /// <summary>Seconds between retries of inbound mail held because a filter could not decide.</summary>
    public double HeldRetrySeconds { get; set; } = 60;

    /// <summary>Deliveries to peers carried out at once.</summary>
    public int Concurrency { get; set; } = 16;
}
