using System.Collections.Concurrent;

namespace Butterfly.Storage.Tests;

public sealed class ChangeStoreTests
{
    [Fact]
    public async Task OnCommitted_MessageStored_TellsTheAccountAndItsNewState()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync();
        var heard = new ConcurrentQueue<AccountState>();
        using (fixture.Store.OnCommitted(states =>
        {
            foreach (var state in states)
            {
                heard.Enqueue(state);
            }
        }))
        {
            await ChangeStoreConformance.AppendAsync(fixture.Store.Messages, alice.Id, "a");
        }

        await ChangeStoreConformance.AppendAsync(fixture.Store.Messages, alice.Id, "b");
        var state = Assert.Single(heard);
        Assert.Equal(alice.Id, state.AccountId);
        Assert.Equal((await fixture.Store.Changes.StateAsync(alice.Id))!.Value - 1, state.ModSeq);
    }
}
