namespace Butterfly.Storage.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task DeliverAsync_ToTwoAccounts_BothCanFetch()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");

        var copies = await fixture.Store.DeliverAsync(TestMessages.Delivery(
            "hi", new DeliveryTarget(bob.Id, "INBOX", MessageFlags.None), new DeliveryTarget(alice.Id, "Sent", MessageFlags.Seen)));

        Assert.Equal(2, copies.Count);
        Assert.Equal(new DeliveredCopy(bob.Id, "Inbox", 1), copies[0]);
        var fetched = await fixture.Store.Messages.FetchAsync(bob.Id, "inbox", 1);
        Assert.True(fetched.Ok);
        Assert.Equal(TestMessages.Bytes("hi"), fetched.Value!.Content);
        Assert.Equal("hi", fetched.Value.Item.Summary.Subject);
        Assert.Equal(["bob@example.org"], fetched.Value.Item.Summary.To);
    }
}
