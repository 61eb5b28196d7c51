using System.Collections.Concurrent;
using Butterfly.Server.Delivery;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Tests.Federation;

/// <summary>A peer transport whose answers the test scripts; it records every call.</summary>
internal sealed class QueueScriptedTransport : IPeerTransport
{
    private int _running;
    private int _maxRunning;

    /// <summary>Answers a call; by default every recipient is delivered.</summary>
    public Func<QueueTransportCall, Task<IReadOnlyList<RecipientResult>>> Answer { get; set; } =
        call => Task.FromResult<IReadOnlyList<RecipientResult>>(call.Recipients.Select(r => new RecipientResult(r, RecipientStatus.Delivered, null, null)).ToArray());

    public ConcurrentQueue<QueueTransportCall> Calls { get; } = new();

    /// <summary>The most calls that were under way at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(
        string domain,
        string deliveryId,
        string sender,
        IReadOnlyList<string> recipients,
        int hops,
        ReadOnlyMemory<byte> message,
        CancellationToken ct)
    {
        var call = new QueueTransportCall(domain, deliveryId, sender, recipients.ToArray(), hops, message.ToArray(), Calls.Count + 1, ct);
        Calls.Enqueue(call);
        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        try
        {
            return await Answer(call);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Every recipient of <paramref name="call"/> gets <paramref name="status"/>, except those <paramref name="delivered"/>.</summary>
    public static IReadOnlyList<RecipientResult> Results(QueueTransportCall call, string status, params string[] delivered) =>
        call.Recipients.Select(r => delivered.Contains(r)
            ? new RecipientResult(r, RecipientStatus.Delivered, null, null)
            : new RecipientResult(r, status, status == RecipientStatus.Unknown ? "recipient.unknown" : "filter.tempfail", $"{r}: {status} on the peer")).ToArray();
}
