using System.Text;
using Butterfly.Client.Tests.Fakes;
using Xunit;

namespace Butterfly.Client.Tests.Retry;

/// <summary>
/// Submission ids on every send and store, and <see cref="ReconnectingClient"/>: a lost reply is
/// retried on a new, logged-in connection with the same id, a bounded number of times; an answer,
/// even an error, is final.
/// </summary>
public sealed class ReconnectingClientTests
{
    private const string SendReply = """{"ok":true,"messageId":"<m@example.org>","sent":{"folder":"Sent","id":7},"recipients":[{"address":"bob@example.org","status":"delivered"}]}""";

    private static readonly SubmissionRetryPolicy Fast = new() { MaxAttempts = 3, FirstDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task SendAndStore_NoIdGiven_EachRequestCarriesANewId()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(seen, (c, r, _) => c.SendAsync(r.Tag, r.Command == "send" ? SendReply : """{"ok":true,"folder":"Drafts","id":3}"""));
        await using var client = await server.ConnectAsync();

        await client.SendAsync(new SendRequest { To = ["bob@example.org"] });
        await client.SendAsync(new SendRequest { To = ["bob@example.org"] });
        await client.StoreAsync("Drafts", Encoding.ASCII.GetBytes("Subject: x\r\n\r\nx\r\n"));
        await client.SendAsync(new SendRequest { To = ["bob@example.org"], SubmissionId = "mine-1" });
        await client.StoreAsync("Drafts", Encoding.ASCII.GetBytes("Subject: x\r\n\r\nx\r\n"), null, "mine-2");

        var ids = Ids(seen);
        Assert.Equal(5, ids.Count);
        Assert.All(ids[..3], id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(3, ids[..3].Distinct().Count());
        Assert.Equal(["mine-1", "mine-2"], ids[3..]);
    }

    [Fact]
    public async Task SendAsync_FirstReplyLost_ReconnectsLogsInAgainAndRetriesWithTheSameId()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(seen, (c, r, sends) =>
        {
            if (sends == 1)
            {
                c.Close();
                return Task.CompletedTask;
            }

            return c.SendAsync(r.Tag, SendReply);
        });
        await using var client = await ReconnectingClient.ConnectAsync(server.Endpoint, "alice@example.org", "password", policy: Fast);

        var result = await client.SendAsync(new SendRequest { To = ["bob@example.org"] });

        Assert.Equal(7, result.SentId);
        Assert.Equal(1, client.Reconnects);
        Assert.Equal(["login", "send", "login", "send"], Commands(seen));
        var ids = Ids(seen);
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task StoreAsync_NoReplyEver_GivesUpAfterMaxAttemptsWithTheSameIdEachTime()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(seen, (c, _, _) =>
        {
            c.Close();
            return Task.CompletedTask;
        });
        await using var client = await ReconnectingClient.ConnectAsync(server.Endpoint, "alice@example.org", "password", policy: Fast);

        await Assert.ThrowsAsync<ButterflyConnectionException>(() => client.StoreAsync("Drafts", Encoding.ASCII.GetBytes("Subject: x\r\n\r\nx\r\n")));

        var ids = Ids(seen);
        Assert.Equal(Fast.MaxAttempts, ids.Count);
        Assert.Single(ids.Distinct());
        Assert.Equal(Fast.MaxAttempts - 1, client.Reconnects);
    }

    [Fact]
    public async Task SendAsync_ServerBusyThenAnswered_RetriedOnTheSameConnection()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(seen, (c, r, sends) => c.SendAsync(
            r.Tag, sends == 1 ? """{"ok":false,"code":"server.busy","message":"Busy."}""" : SendReply));
        await using var client = await ReconnectingClient.ConnectAsync(server.Endpoint, "alice@example.org", "password", policy: Fast);

        var result = await client.SendAsync(new SendRequest { To = ["bob@example.org"], SubmissionId = "busy-1" });

        Assert.Equal("<m@example.org>", result.MessageId);
        Assert.Equal(0, client.Reconnects);
        Assert.Equal(["busy-1", "busy-1"], Ids(seen));
    }

    [Fact]
    public async Task SendAsync_CommandError_NotRetried()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(seen, (c, r, _) => c.SendAsync(r.Tag, """{"ok":false,"code":"recipient.unknown","message":"No such account: bob@example.org"}"""));
        await using var client = await ReconnectingClient.ConnectAsync(server.Endpoint, "alice@example.org", "password", policy: Fast);

        var refused = await Assert.ThrowsAsync<ButterflyException>(() => client.SendAsync(new SendRequest { To = ["bob@example.org"] }));

        Assert.Equal("recipient.unknown", refused.Code);
        Assert.Single(Ids(seen));
    }

    [Fact]
    public void Policy_Delays_DoubleUpToTheMaximum()
    {
        var policy = new SubmissionRetryPolicy();

        var delays = Enumerable.Range(1, 6).Select(policy.DelayAfter).Select(d => d.TotalMilliseconds).ToArray();

        Assert.Equal([250, 500, 1000, 2000, 4000, 4000], delays);
        Assert.Equal(6, policy.MaxAttempts);
    }

    /// <summary>A fake server that answers login with ok and hands sends and stores (numbered from 1) to <paramref name="submit"/>.</summary>
    private static FakeServer Server(List<FakeRequest> seen, Func<FakeConnection, FakeRequest, int, Task> submit)
    {
        var submissions = 0;
        return new FakeServer((connection, request) =>
        {
            lock (seen)
            {
                seen.Add(request);
            }

            return request.Command is "send" or "message.store"
                ? submit(connection, request, Interlocked.Increment(ref submissions))
                : connection.SendAsync(request.Tag, """{"ok":true}""");
        });
    }

    private static List<string> Commands(List<FakeRequest> seen)
    {
        lock (seen)
        {
            return [.. seen.Select(r => r.Command)];
        }
    }

    private static List<string> Ids(List<FakeRequest> seen)
    {
        lock (seen)
        {
            return [.. seen.Where(r => r.Command is "send" or "message.store").Select(r => r.Head.GetProperty("submission").GetString()!)];
        }
    }
}
