using System.Diagnostics.Metrics;

namespace Butterfly.Server.Telemetry;

/// <summary>
/// Every instrument the server records, on one <see cref="Meter"/> (README.md, "Watching it"). Static so that
/// any folder can record without plumbing; with no listener (metrics.listen empty) recording costs a check
/// of a flag. Tags are constant strings, so a recording allocates nothing.
/// </summary>
internal static class ButterflyMetrics
{
    /// <summary>The meter's name, for a listener or exporter to subscribe to.</summary>
    public const string MeterName = "Butterfly";

    private static readonly Meter Meter = new(MeterName);

    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Messages through the delivery pipeline, by <c>source</c> and <c>outcome</c> (<see cref="DeliveryOutcomes"/>).</summary>
    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "butterfly.deliveries", "{message}", "Messages through the delivery pipeline, by source and outcome.");

    /// <summary>Recipients of those messages, by <c>source</c> and <c>status</c> (the wire's recipient statuses).</summary>
    public static readonly Counter<long> DeliveryRecipients = Meter.CreateCounter<long>(
        "butterfly.delivery.recipients", "{recipient}", "Recipients of delivered messages, by source and what became of each.");

    /// <summary>Seconds one message took through the pipeline (routing, filters, the commit), by <c>source</c>.</summary>
    public static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram(
        "butterfly.delivery.duration", "s", "Time one message took through the pipeline, commit included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    /// <summary>Seconds one filter took to answer, by <c>filter</c>, <c>stage</c> and <c>result</c> (the verdict, or <c>failed</c>).</summary>
    public static readonly Histogram<double> FilterDuration = Meter.CreateHistogram(
        "butterfly.filter.duration", "s", "Time one filter took to give its verdict, waiting for a free slot included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    /// <summary>
    /// Seconds one address script took, by <c>result</c>. Declared here for the programmable addresses
    /// (issue 12); recorded where the script runs.
    /// </summary>
    public static readonly Histogram<double> ScriptDuration = Meter.CreateHistogram(
        "butterfly.script.duration", "s", "Time one address script took to run.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    /// <summary>Connections open now, by <c>kind</c> (<see cref="SessionKinds"/>).</summary>
    public static readonly UpDownCounter<long> SessionsActive = Meter.CreateUpDownCounter<long>(
        "butterfly.sessions.active", "{session}", "Connections open now, by kind: client, peer, filter, control.");

    /// <summary>Connections accepted, by <c>kind</c>.</summary>
    public static readonly Counter<long> SessionsOpened = Meter.CreateCounter<long>(
        "butterfly.sessions.opened", "{session}", "Connections accepted, by kind (a peer counts as client until it proves its domain).");

    /// <summary>Failed logins, by <c>reason</c>: <c>password</c> (unknown user or wrong password) or <c>busy</c> (hashing queue full).</summary>
    public static readonly Counter<long> AuthFailures = Meter.CreateCounter<long>(
        "butterfly.auth.failures", "{attempt}", "Failed logins, by reason.");

    /// <summary>Login attempts that waited out a failure penalty first.</summary>
    public static readonly Counter<long> AuthPenalties = Meter.CreateCounter<long>(
        "butterfly.auth.penalties", "{attempt}", "Login attempts made to wait for earlier failures (loginPenalty).");

    /// <summary>Seconds of those waits.</summary>
    public static readonly Histogram<double> AuthPenaltyWait = Meter.CreateHistogram(
        "butterfly.auth.penalty.wait", "s", "How long a penalized login attempt waited.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 4, 8, 15, 30, 60] });

    // Read from what ServerGauges last saw (refreshed before each scrape), never from the store here:
    // a gauge's callback is synchronous.

    /// <summary>Entries waiting in the queue, by <c>kind</c>: <c>outbound</c> or <c>held</c>.</summary>
    public static readonly ObservableGauge<long> QueueDepth = Meter.CreateObservableGauge(
        "butterfly.queue.depth", ServerGauges.QueueDepth, "{message}", "Entries waiting in the queue, by kind: outbound (to other servers) or held (for a filter).");

    /// <summary>Seconds the oldest waiting entry has waited, by <c>kind</c>.</summary>
    public static readonly ObservableGauge<double> QueueOldestAge = Meter.CreateObservableGauge(
        "butterfly.queue.oldest_age", ServerGauges.QueueOldestAge, "s", "Age of the oldest waiting queue entry, by kind (0 when none waits).");

    /// <summary>Sessions subscribed to push events.</summary>
    public static readonly ObservableGauge<long> PushSubscribers = Meter.CreateObservableGauge(
        "butterfly.push.subscribers", ServerGauges.PushSubscribers, "{session}", "Sessions subscribed to push events.");

    /// <summary>Bytes of room for new mail.</summary>
    public static readonly ObservableGauge<long> StoreRoom = Meter.CreateObservableGauge(
        "butterfly.store.room", ServerGauges.StoreRoom, "By", "Room for new mail in the data folder (free disk plus free database pages, less the reserve).");
}
