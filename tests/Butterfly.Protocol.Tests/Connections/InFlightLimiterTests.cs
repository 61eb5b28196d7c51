using Butterfly.Protocol.Connections;
using Butterfly.TestUtilities;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

public sealed class InFlightLimiterTests
{
    [Fact]
    public async Task TryEnter_UpToLimit_ThenRegistersAWaiter()
    {
        var limiter = new InFlightLimiter(2);

        Assert.True(limiter.TryEnter());
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
        Assert.Equal(-1, limiter.Available);
        Assert.False(await limiter.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Release_WithWaiter_HandsSlotOver()
    {
        var limiter = new InFlightLimiter(1);
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
        var waiting = limiter.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        limiter.Release();

        Assert.True(await waiting);
        Assert.Equal(0, limiter.Available);
        limiter.Release();
        Assert.Equal(1, limiter.Available);
    }

    [Fact]
    public async Task WaitAsync_TimedOut_SlotLaterPassedOnNotDoubled()
    {
        var limiter = new InFlightLimiter(1);
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
        Assert.False(await limiter.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));

        limiter.Release();

        // The abandoned waiter's hand-over is passed on: exactly one slot is free again.
        await Eventually.TrueAsync(() => limiter.Available == 1, "the slot is handed back");
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsAndSlotsStayBalanced()
    {
        var limiter = new InFlightLimiter(1);
        Assert.True(limiter.TryEnter());
        Assert.False(limiter.TryEnter());
        using var cts = new CancellationTokenSource(20);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.WaitAsync(Timeout.InfiniteTimeSpan, cts.Token));
        limiter.Release();

        await Eventually.TrueAsync(() => limiter.Available == 1, "the slot is handed back");
    }

    [Fact]
    public async Task ManyCallers_WithTimeouts_NeverOverAdmitAndAllSlotsComeBack()
    {
        const int limit = 4;
        var limiter = new InFlightLimiter(limit);
        var holders = 0;
        var highest = 0;
        var workers = Enumerable.Range(0, 32).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            for (var i = 0; i < 200; i++)
            {
                if (!limiter.TryEnter() && !await limiter.WaitAsync(TimeSpan.FromMilliseconds(random.Next(0, 3)), CancellationToken.None))
                {
                    continue;
                }

                var now = Interlocked.Increment(ref holders);
                var seen = Volatile.Read(ref highest);
                while (now > seen && Interlocked.CompareExchange(ref highest, now, seen) != seen)
                {
                    seen = Volatile.Read(ref highest);
                }

                await Task.Yield();
                Interlocked.Decrement(ref holders);
                limiter.Release();
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(highest, 1, limit);
        await Eventually.TrueAsync(() => limiter.Available == limit, "the slot is handed back");
    }
}
