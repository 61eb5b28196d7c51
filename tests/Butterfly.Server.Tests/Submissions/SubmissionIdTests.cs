using System.Text;
using System.Text.Json.Nodes;
using Butterfly.Client;
using Butterfly.Server.Tests.Infrastructure;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Submissions;

/// <summary>
/// Submission ids on <c>send</c> and <c>message.store</c> (protocol/client.md, "Submission ids"):
/// a repeat gets the first answer and stores nothing new; ids are per account.
/// </summary>
public sealed class SubmissionIdTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    private const string Password = "submission-password";

    [Fact]
    public async Task Send_SameSubmissionIdTwice_OneCopyAndTheFirstAnswer()
    {
        await using var alice = await RegisterAsync("alice-twice@example.org");
        await using var bob = await RegisterAsync("bob-twice@example.org");
        var request = new SendRequest { To = ["bob-twice@example.org"], Subject = "once", Text = "only once", SubmissionId = "twice-1" };

        var first = await alice.SendAsync(request);
        var second = await alice.SendAsync(request);

        AssertSameAnswer(first, second);
        Assert.Equal(1, await CountAsync(bob, "Inbox", "once"));
        Assert.Equal(1, await CountAsync(alice, "Sent", "once"));
    }

    [Fact]
    public async Task Send_RawMessageSameSubmissionIdTwice_OneCopyAndTheFirstAnswer()
    {
        await using var alice = await RegisterAsync("alice-raw@example.org");
        await using var bob = await RegisterAsync("bob-raw@example.org");
        var raw = Encoding.ASCII.GetBytes("From: alice-raw@example.org\r\nTo: bob-raw@example.org\r\nSubject: raw once\r\n\r\nbody\r\n");
        var request = new SendRequest { Raw = raw, SubmissionId = "0192f1c4-e8b0-7c3a-9d5e-6f7a8b9c0d1e" };

        var first = await alice.SendAsync(request);
        var second = await alice.SendAsync(request);

        AssertSameAnswer(first, second);
        Assert.Equal(1, await CountAsync(bob, "Inbox", "raw once"));
        Assert.Equal(1, await CountAsync(alice, "Sent", "raw once"));
    }

    [Fact]
    public async Task Send_RepeatAfterTheCopyWasDeleted_TheFirstAnswerAndNothingNew()
    {
        await using var alice = await RegisterAsync("alice-deleted@example.org");
        await using var bob = await RegisterAsync("bob-deleted@example.org");
        var request = new SendRequest { To = ["bob-deleted@example.org"], Subject = "deleted", Text = "x", SubmissionId = "deleted-1" };
        var first = await alice.SendAsync(request);
        await alice.DeleteAsync("Sent", [first.SentId]);

        var second = await alice.SendAsync(request);

        AssertSameAnswer(first, second);
        Assert.Equal(0, await CountAsync(alice, "Sent", "deleted"));
        Assert.Equal(1, await CountAsync(bob, "Inbox", "deleted"));
    }

    [Fact]
    public async Task Send_SameSubmissionIdFromTwoAccounts_EachStoredOnce()
    {
        await using var alice = await RegisterAsync("alice-shared@example.org");
        await using var carol = await RegisterAsync("carol-shared@example.org");
        await using var bob = await RegisterAsync("bob-shared@example.org");

        var fromAlice = await alice.SendAsync(new SendRequest { To = ["bob-shared@example.org"], Subject = "shared", Text = "a", SubmissionId = "shared-1" });
        var fromCarol = await carol.SendAsync(new SendRequest { To = ["bob-shared@example.org"], Subject = "shared", Text = "c", SubmissionId = "shared-1" });

        Assert.NotEqual(fromAlice.MessageId, fromCarol.MessageId);
        Assert.Equal(2, await CountAsync(bob, "Inbox", "shared"));
        Assert.Equal(1, await CountAsync(alice, "Sent", "shared"));
        Assert.Equal(1, await CountAsync(carol, "Sent", "shared"));
    }

    [Fact]
    public async Task Send_ManyRequestsWithOneIdInFlightAtOnce_OneCopyAndAllGetItsAnswer()
    {
        await using var alice = await RegisterAsync("alice-race@example.org");
        await using var alice2 = await LoginAsync("alice-race@example.org");
        await using var bob = await RegisterAsync("bob-race@example.org");
        var request = new SendRequest { To = ["bob-race@example.org"], Subject = "race", Text = "x", SubmissionId = "race-1" };

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => (i % 2 == 0 ? alice : alice2).SendAsync(request)));

        Assert.All(results, r => AssertSameAnswer(results[0], r));
        Assert.Equal(1, await CountAsync(bob, "Inbox", "race"));
        Assert.Equal(1, await CountAsync(alice, "Sent", "race"));
    }

    [Fact]
    public async Task Store_SameSubmissionIdTwice_OneCopyAndTheSameId()
    {
        await using var alice = await RegisterAsync("alice-store@example.org");
        var message = Encoding.ASCII.GetBytes("From: alice-store@example.org\r\nSubject: draft once\r\n\r\nbody\r\n");

        var first = await alice.StoreAsync("Drafts", message, ["draft"], "store-1");
        var second = await alice.StoreAsync("Drafts", message, ["draft"], "store-1");

        Assert.Equal(first, second);
        Assert.Equal(1, await CountAsync(alice, "Drafts", "draft once"));
    }

    [Fact]
    public async Task Store_SameSubmissionIdFromTwoAccountsAndAfterASend_Independent()
    {
        await using var alice = await RegisterAsync("alice-store2@example.org");
        await using var carol = await RegisterAsync("carol-store2@example.org");
        var message = Encoding.ASCII.GetBytes("From: x@example.org\r\nSubject: draft shared\r\n\r\nbody\r\n");

        await alice.StoreAsync("Drafts", message, null, "store-shared");
        await carol.StoreAsync("Drafts", message, null, "store-shared");

        Assert.Equal(1, await CountAsync(alice, "Drafts", "draft shared"));
        Assert.Equal(1, await CountAsync(carol, "Drafts", "draft shared"));
    }

    [Fact]
    public async Task Store_ManyRequestsWithOneIdInFlightAtOnce_OneCopy()
    {
        await using var alice = await RegisterAsync("alice-store-race@example.org");
        var message = Encoding.ASCII.GetBytes("From: alice@example.org\r\nSubject: store race\r\n\r\nbody\r\n");

        var ids = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => alice.StoreAsync("Drafts", message, null, "store-race")));

        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync(alice, "Drafts", "store race"));
    }

    [Fact]
    public async Task Send_RefusedThenRepeatedWithTheSameId_TheRepeatIsANewAttempt()
    {
        await using var alice = await RegisterAsync("alice-refused@example.org");
        var refused = await Assert.ThrowsAsync<ButterflyException>(() => alice.SendAsync(
            new SendRequest { To = ["nobody-refused@example.org"], Subject = "refused", Text = "x", SubmissionId = "refused-1" }));
        Assert.Equal("recipient.unknown", refused.Code);
        await using var nobody = await RegisterAsync("nobody-refused@example.org");

        var sent = await alice.SendAsync(new SendRequest { To = ["nobody-refused@example.org"], Subject = "refused", Text = "x", SubmissionId = "refused-1" });

        Assert.Equal("delivered", Assert.Single(sent.Recipients).Status);
        Assert.Equal(1, await CountAsync(nobody, "Inbox", "refused"));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"has space\"")]
    [InlineData("\"caf\u00e9\"")]
    [InlineData("\"tab\\there\"")]
    [InlineData("12")]
    [InlineData("true")]
    [InlineData("\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"")]
    public async Task SendAndStore_MalformedSubmissionId_RequestInvalidNamingTheField(string json)
    {
        await using var alice = await RegisterAsync($"alice-bad-{Math.Abs(json.GetHashCode(StringComparison.Ordinal))}@example.org");
        var value = JsonNode.Parse(json);
        var message = Encoding.ASCII.GetBytes("From: a@example.org\r\nTo: a@example.org\r\nSubject: bad id\r\n\r\nbody\r\n");

        var send = await alice.RequestAsync(new JsonObject { ["cmd"] = "send", ["submission"] = value?.DeepClone() }, message);
        var store = await alice.RequestAsync(new JsonObject { ["cmd"] = "message.store", ["folder"] = "Drafts", ["submission"] = value?.DeepClone() }, message);

        foreach (var reply in new[] { send, store })
        {
            Assert.False(reply.Ok);
            Assert.Equal("request.invalid", reply.Code);
            Assert.Contains("\"submission\"", reply.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountAsync(alice, "Sent", "bad id"));
        Assert.Equal(0, await CountAsync(alice, "Drafts", "bad id"));
    }

    [Fact]
    public async Task SendAndStore_LongestAllowedId_Accepted()
    {
        await using var alice = await RegisterAsync("alice-longest@example.org");
        var id = "AZaz09-_.:+/=" + new string('k', 128 - 13);

        var sent = await alice.SendAsync(new SendRequest { To = ["alice-longest@example.org"], Subject = "longest", Text = "x", SubmissionId = id });
        var again = await alice.SendAsync(new SendRequest { To = ["alice-longest@example.org"], Subject = "longest", Text = "x", SubmissionId = id });

        AssertSameAnswer(sent, again);
        Assert.Equal(1, await CountAsync(alice, "Inbox", "longest"));
    }

    [Fact]
    public async Task ClientSend_ReplyCutOffAfterTheCommit_ReconnectsRetriesAndStoresOnce()
    {
        await using (await RegisterAsync("alice-cut@example.org"))
        await using (var bob = await RegisterAsync("bob-cut@example.org"))
        {
            await using var proxy = CuttingProxy.Start(daemon.EndPoint);
            await using var alice = await ReconnectingClient.ConnectAsync(proxy.EndPoint, "alice-cut@example.org", Password);

            // The server commits and answers; the client gets half the reply and then loses the connection.
            var cut = proxy.Arm(CutPoint.InReply, "\"send\"");
            var sent = await alice.SendAsync(new SendRequest { To = ["bob-cut@example.org"], Subject = "cut", Text = "x" });
            await cut;

            Assert.Equal(1, alice.Reconnects);
            Assert.Equal(1, await CountAsync(bob, "Inbox", "cut"));
            var sentCopy = Assert.Single((await alice.Client.ListMessagesAsync("Sent")).Messages, m => m.Subject == "cut");
            Assert.Equal(sentCopy.Id, sent.SentId);
        }
    }

    [Fact]
    public async Task ClientStore_ReplyCutOffAfterTheCommit_ReconnectsRetriesAndStoresOnce()
    {
        await using (await RegisterAsync("alice-store-cut@example.org"))
        {
            await using var proxy = CuttingProxy.Start(daemon.EndPoint);
            await using var alice = await ReconnectingClient.ConnectAsync(proxy.EndPoint, "alice-store-cut@example.org", Password);
            var message = Encoding.ASCII.GetBytes("From: alice@example.org\r\nSubject: store cut\r\n\r\nbody\r\n");

            var cut = proxy.Arm(CutPoint.InReply, "\"message.store\"");
            var id = await alice.StoreAsync("Drafts", message);
            await cut;

            Assert.Equal(1, alice.Reconnects);
            var copy = Assert.Single((await alice.Client.ListMessagesAsync("Drafts")).Messages, m => m.Subject == "store cut");
            Assert.Equal(copy.Id, id);
        }
    }

    [Fact]
    public async Task CliSend_ReplyCutOffAfterTheCommit_RetriesAndStoresOnce()
    {
        await using (var alice = await RegisterAsync("alice-cli@example.org"))
        await using (var bob = await RegisterAsync("bob-cli@example.org"))
        {
            await using var proxy = CuttingProxy.Start(daemon.EndPoint);
            var cut = proxy.Arm(CutPoint.InReply, "\"send\"");

            var result = await CliProcess.RunAsync(
                ["send", "--to", "bob-cli@example.org", "--subject", "cli cut", "--body", "x", "--json"],
                environment: new Dictionary<string, string>
                {
                    ["BUTTERFLY_SERVER"] = proxy.EndPoint,
                    ["BUTTERFLY_USER"] = "alice-cli@example.org",
                    ["BUTTERFLY_PASSWORD"] = Password,
                });
            await cut;

            Assert.True(result.ExitCode == 0, result.ToString());
            var sentId = System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.GetProperty("sent").GetProperty("id").GetInt64();
            Assert.Equal(1, await CountAsync(bob, "Inbox", "cli cut"));
            Assert.Equal(sentId, Assert.Single((await alice.ListMessagesAsync("Sent")).Messages, m => m.Subject == "cli cut").Id);
        }
    }

    [Fact]
    public async Task ClientSend_ServerRefusesTheLogin_NoRetryAndTheErrorSurfaces()
    {
        await using (await RegisterAsync("alice-refused-login@example.org"))
        {
            var refused = await Assert.ThrowsAsync<ButterflyException>(() =>
                ReconnectingClient.ConnectAsync(daemon.EndPoint, "alice-refused-login@example.org", "wrong-password"));
            Assert.Equal("auth.failed", refused.Code);
        }
    }

    private static void AssertSameAnswer(SendResult first, SendResult second)
    {
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal((first.SentFolder, first.SentId), (second.SentFolder, second.SentId));
        Assert.Equal(first.Recipients, second.Recipients);
    }

    private static async Task<int> CountAsync(ButterflyClient client, string folder, string subject) =>
        (await client.ListMessagesAsync(folder, 500)).Messages.Count(m => m.Subject == subject);

    private async Task<ButterflyClient> RegisterAsync(string address)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.RegisterAsync(address, Password);
        return client;
    }

    private async Task<ButterflyClient> LoginAsync(string address)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.LoginAsync(address, Password);
        return client;
    }
}
