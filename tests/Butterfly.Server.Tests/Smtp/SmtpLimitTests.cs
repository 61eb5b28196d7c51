using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>The listener's abuse limits: connections per address, silent clients, refused recipients.</summary>
public sealed class SmtpLimitTests : IAsyncLifetime
{
    private SmtpTestServer _server = null!;

    public async Task InitializeAsync() => _server = await SmtpTestServer.StartAsync(["alice"], c =>
    {
        c["limits"] = new JsonObject { ["maxConnectionsPerAddress"] = 2 };
        c["smtp"]!["timeoutSeconds"] = 1;
        c["smtp"]!["maxBadRecipients"] = 3;
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connect_OverPerAddressCap_421AndClosed_ThenAdmittedOnceOneLeaves()
    {
        var first = await _server.HelloAsync();
        await using var second = await _server.HelloAsync();
        await using (var third = await _server.ConnectAsync())
        {
            Assert.Equal(421, third.Greeting.Code);
            Assert.StartsWith("421 4.7.0", third.Greeting.Text, StringComparison.Ordinal);
            Assert.Contains("Too many connections from 127.0.0.1", third.Greeting.Text, StringComparison.Ordinal);
            Assert.Null(await third.ReadLineAsync());
        }

        Assert.Equal(221, (await first.CommandAsync("QUIT")).Code);
        await first.DisposeAsync();
        await Eventually.TrueAsync(
            async () =>
            {
                await using var again = await _server.ConnectAsync();
                return again.Greeting.Code == 220;
            },
            "a connection is admitted once one has ended");
    }

    [Fact]
    public async Task SilentClient_PastTimeout_421442AndClosed()
    {
        await using var dialog = await _server.HelloAsync();

        // The server speaks first: nothing is sent here until it gives up on us.
        var reply = await dialog.ReadReplyAsync();
        Assert.StartsWith("421 4.4.2", reply.Text, StringComparison.Ordinal);
        Assert.Null(await dialog.ReadLineAsync());
    }

    [Fact]
    public async Task SlowClient_TricklingWithinTimeout_Accepted()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<slow@sender.test>")).Code);
        Assert.Equal(250, (await dialog.CommandAsync("RCPT TO:<alice@example.org>")).Code);
        Assert.Equal(354, (await dialog.CommandAsync("DATA")).Code);
        foreach (var b in "Subject: slow\r\n\r\nbyte by byte\r\n.\r\n")
        {
            await dialog.WriteAsync(b.ToString());
        }

        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
        Assert.EndsWith("\r\n\r\nbyte by byte\r\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rcpt_RepeatedUnknown_DisconnectedAtTheCap()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<guess@sender.test>")).Code);
        Assert.Equal(550, (await dialog.CommandAsync("RCPT TO:<a1@example.org>")).Code);
        Assert.Equal(550, (await dialog.CommandAsync("RCPT TO:<a2@example.org>")).Code);
        var last = await dialog.CommandAsync("RCPT TO:<a3@example.org>");
        Assert.StartsWith("421 4.7.0", last.Text, StringComparison.Ordinal);
        Assert.Null(await dialog.ReadLineAsync());
    }
}
