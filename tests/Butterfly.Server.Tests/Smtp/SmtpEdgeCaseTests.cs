using System.Text;
using System.Text.Json.Nodes;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>Protocol edge cases against the listener: pipelining, bare LF, long lines, NUL bytes, size, 1,000 recipients, STARTTLS, forged results.</summary>
public sealed class SmtpEdgeCaseTests : IAsyncLifetime
{
    private const int MaxMessageBytes = 200_000;
    private SmtpTestServer _server = null!;

    public async Task InitializeAsync() => _server = await SmtpTestServer.StartAsync(
        ["alice", "bob"],
        c => c["limits"] = new JsonObject { ["maxMessageBytes"] = MaxMessageBytes, ["maxRecipients"] = 1000 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Pipelining_WholeEnvelopeInOneWrite_RepliesInOrder()
    {
        await using var dialog = await _server.HelloAsync();
        await dialog.WriteAsync("MAIL FROM:<p@sender.test>\r\nRCPT TO:<alice@example.org>\r\nRCPT TO:<nobody@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n");
        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(550, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(354, (await dialog.ReadReplyAsync()).Code);

        // The message, the next transaction's commands and QUIT in one write, too.
        await dialog.WriteAsync("Subject: piped\r\n\r\nfirst\r\n.\r\nMAIL FROM:<p@sender.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(354, (await dialog.ReadReplyAsync()).Code);
        Assert.Equal(250, (await dialog.CommandAsync("Subject: piped 2\r\n\r\nsecond\r\n.")).Code);
        Assert.Equal(221, (await dialog.CommandAsync("QUIT")).Code);
        await _server.WaitForMessagesAsync("alice", 2);
        Assert.Single(await _server.MessagesAsync("bob"));
    }

    [Fact]
    public async Task Data_BareLineFeeds_StoredWithCrlfAndNoSmuggledMessage()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<lf@sender.test>")).Code);
        Assert.Equal(250, (await dialog.CommandAsync("RCPT TO:<bob@example.org>")).Code);
        Assert.Equal(354, (await dialog.CommandAsync("DATA")).Code);

        // "\n.\n" is not the end of the data (SMTP smuggling): what follows stays in this message.
        await dialog.WriteAsync("Subject: bare\nX-Test: lf\n\nline one\n.\nMAIL FROM:<evil@sender.test>\r\nRCPT TO:<bob@example.org>\r\n..dot stuffed\r\n.\r\n");
        var reply = await dialog.ReadReplyAsync();
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("bob", 1));
        Assert.Contains("Subject: bare\r\nX-Test: lf\r\n\r\nline one\r\n.\r\nMAIL FROM:<evil@sender.test>\r\nRCPT TO:<bob@example.org>\r\n.dot stuffed\r\n", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", message.Replace("\r\n", "~", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(250, (await dialog.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Data_FirstLineDotStuffed_Unstuffed()
    {
        await using var dialog = await _server.HelloAsync();
        var reply = await dialog.SendMailAsync("s@sender.test", ["alice@example.org"], ".leading: dot\r\nSubject: x\r\n\r\n.\r\n..two\r\n");
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
        Assert.Contains("\n.leading: dot\r\nSubject: x\r\n\r\n.\r\n..two\r\n", message, StringComparison.Ordinal);
        Assert.DoesNotContain("...", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_EmptyMessage_RefusedAtTheDot()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<s@sender.test>")).Code);
        Assert.Equal(250, (await dialog.CommandAsync("RCPT TO:<alice@example.org>")).Code);
        Assert.Equal(354, (await dialog.CommandAsync("DATA")).Code);
        var reply = await dialog.CommandAsync(".");
        Assert.Equal(554, reply.Code);
        Assert.Equal(250, (await dialog.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Command_OverLongLine_500AndClosed()
    {
        await using var dialog = await _server.HelloAsync();
        await dialog.WriteAsync("RCPT TO:<" + new string('a', 3000) + "@example.org>\r\n");
        var reply = await dialog.ReadReplyAsync();
        Assert.StartsWith("500 5.5.2", reply.Text, StringComparison.Ordinal);
        Assert.Null(await dialog.ReadLineAsync());
    }

    [Fact]
    public async Task Data_LongLineAndNulByte_HandledWithoutLosingTheSession()
    {
        await using var dialog = await _server.HelloAsync();
        var longLine = new string('y', 5000);
        var reply = await dialog.SendMailAsync("s@sender.test", ["bob@example.org"], $"Subject: long\r\n\r\n{longLine}\r\nend\r\n");
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("bob", 1));
        Assert.Contains(longLine + "\r\nend\r\n", message, StringComparison.Ordinal);

        // A NUL in the header block is refused at the final dot; the session goes on.
        reply = await dialog.SendMailAsync("s@sender.test", ["bob@example.org"], "Subject: nul\0here\r\n\r\nbody\r\n");
        Assert.Equal(554, reply.Code);
        Assert.StartsWith("554 5.6.0", reply.Text, StringComparison.Ordinal);

        // A NUL in a command is a syntax error.
        var nul = await dialog.CommandAsync("MAIL FROM:<s\0@sender.test>");
        Assert.Equal(5, nul.Code / 100);
        Assert.Equal(250, (await dialog.CommandAsync("RSET")).Code);
    }

    [Fact]
    public async Task Data_OverMaxMessageBytesWithoutSize_552AndSessionGoesOn()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<big@sender.test>")).Code);
        Assert.Equal(250, (await dialog.CommandAsync("RCPT TO:<alice@example.org>")).Code);
        Assert.Equal(354, (await dialog.CommandAsync("DATA")).Code);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('z', 998) + "\r\n", 100)));
        await dialog.WriteAsync("Subject: big\r\n\r\n");
        for (var i = 0; i < (MaxMessageBytes / chunk.Length) + 5; i++)
        {
            await dialog.WriteAsync(chunk);
        }

        var reply = await dialog.CommandAsync(".");
        Assert.StartsWith("552 5.3.4", reply.Text, StringComparison.Ordinal);
        var small = await dialog.SendMailAsync("s@sender.test", ["alice@example.org"], "Subject: small\r\n\r\nok\r\n");
        Assert.Equal(250, small.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
        Assert.Contains("Subject: small", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rcpt_ThousandRecipients_AllAcceptedOneCopy()
    {
        await using var dialog = await _server.HelloAsync();
        var recipients = Enumerable.Range(1, 1000).Select(i => $"alice+r{i}@example.org").ToList();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<many@sender.test>")).Code);
        await dialog.WriteAsync(string.Concat(recipients.Select(r => $"RCPT TO:<{r}>\r\n")));
        for (var i = 0; i < recipients.Count; i++)
        {
            var reply = await dialog.ReadReplyAsync();
            Assert.True(reply.Code == 250, $"RCPT {i}: {reply}");
        }

        Assert.Equal(354, (await dialog.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await dialog.CommandAsync("Subject: many\r\n\r\nhi\r\n.")).Code);
        Assert.Single(await _server.WaitForMessagesAsync("alice", 1));

        // One more than limits.maxRecipients is refused, for now.
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<many@sender.test>")).Code);
        await dialog.WriteAsync(string.Concat(Enumerable.Range(0, 1001).Select(i => $"RCPT TO:<bob+{i}@example.org>\r\n")));
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(250, (await dialog.ReadReplyAsync()).Code);
        }

        Assert.StartsWith("452 4.5.3", (await dialog.ReadReplyAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTls_Upgraded_MailTracedAsEsmtps()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(220, (await dialog.CommandAsync("STARTTLS")).Code);
        await dialog.StartTlsAsync("mx.example.org");
        var ehlo = await dialog.CommandAsync("EHLO client.test");
        Assert.Equal(250, ehlo.Code);
        Assert.False(ehlo.Offers("STARTTLS"), ehlo.Text);
        Assert.Equal(250, (await dialog.SendMailAsync("t@sender.test", ["bob@example.org"], "Subject: secret\r\n\r\nover TLS\r\n")).Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("bob", 1));
        Assert.Contains("with ESMTPS id", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_ForgedResultsClaimingOurServId_RemovedOthersKept()
    {
        await using var dialog = await _server.HelloAsync();
        var reply = await dialog.SendMailAsync(
            "f@sender.test",
            ["alice@example.org"],
            "Authentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\nAuthentication-Results: other.example; dkim=pass header.d=sender.test\r\nAuthentication-Results: MX.EXAMPLE.ORG;\r\n spf=pass\r\nFrom: ceo@example.org\r\nSubject: trust me\r\n\r\nPay.\r\n");
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
        Assert.DoesNotContain("dmarc=pass header.from=example.org", message, StringComparison.Ordinal);
        Assert.DoesNotContain("MX.EXAMPLE.ORG", message, StringComparison.Ordinal);
        Assert.Contains("Authentication-Results: other.example; dkim=pass", message, StringComparison.Ordinal);
        Assert.Equal(2, message.Split("Authentication-Results: mx.example.org;").Length);
    }
}
