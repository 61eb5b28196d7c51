using Butterfly.Protocol.Connections;
using Xunit;

namespace Butterfly.Protocol.Tests.Connections;

public sealed class ByteBudgetTests
{
    [Fact]
    public async Task ReserveAsync_WithinCapacity_CompletesAtOnce()
    {
        var budget = new ByteBudget(100);

        Assert.Equal(60, await budget.ReserveAsync(60));
        Assert.Equal(40, await budget.ReserveAsync(40));
        Assert.Equal(100, budget.InUse);
    }

    [Fact]
    public async Task ReserveAsync_Spent_WaitsUntilReleased_InArrivalOrder()
    {
        var budget = new ByteBudget(100);
        var held = await budget.ReserveAsync(90);
        var big = budget.ReserveAsync(50);
        var small = budget.ReserveAsync(5);

        // The small one would fit, but waits behind the big one so that it is not starved.
        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted);
        Assert.Equal(2, budget.Waiting);

        budget.Release(held);

        Assert.Equal(50, await big);
        Assert.Equal(5, await small);
        Assert.Equal(55, budget.InUse);
    }

    [Fact]
    public async Task ReserveAsync_MoreThanCapacity_ReservesTheWholeBudget()
    {
        var budget = new ByteBudget(100);

        Assert.Equal(100, await budget.ReserveAsync(1_000));
        Assert.Equal(100, budget.InUse);
    }

    [Fact]
    public async Task ReserveAsync_Cancelled_LeavesTheQueue_AndLetsTheNextIn()
    {
        var budget = new ByteBudget(100);
        var held = await budget.ReserveAsync(60);
        using var cancel = new CancellationTokenSource();
        var blocked = budget.ReserveAsync(80, cancel.Token).AsTask();
        var behind = budget.ReserveAsync(30).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        Assert.Equal(30, await behind);
        Assert.Equal(90, budget.InUse);
        budget.Release(held);
        Assert.Equal(30, budget.InUse);
    }
}
