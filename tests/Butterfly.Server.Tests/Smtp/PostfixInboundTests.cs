using System.Text.Json.Nodes;
using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>
/// Postfix → Butterfly: a private Postfix relays example.org to the gateway through its transport map,
/// with STARTTLS when offered (as Debian's default client does).
/// </summary>
public sealed class PostfixInboundTests : IAsyncLifetime
{
    private const int MaxMessageBytes = 100_000;
    private SmtpTestServer _server = null!;
    private PrivatePostfix _postfix = null!;

    public async Task InitializeAsync()
    {
        _server = await SmtpTestServer.StartAsync(["alice", "bob", "jöran"], c => c["limits"] = new JsonObject { ["maxMessageBytes"] = MaxMessageBytes });
        var settings = new PostfixSettings();
        settings.Transports["example.org"] = $"127.0.0.1:{_server.SmtpPort}";
        settings.Main["smtp_tls_security_level"] = "may";
        settings.Main["smtp_tls_loglevel"] = "1";
        _postfix = await PrivatePostfix.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _postfix.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Relay_PlainMessage_DeliveredOverStartTls()
    {
        var reply = await SendThroughPostfixAsync("sender@outside.test", ["alice@example.org"], "From: sender@outside.test\r\nTo: alice@example.org\r\nSubject: plain\r\n\r\nJust text.\r\n");
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
        Assert.StartsWith("Received: from postfix.test ([127.0.0.1])", message, StringComparison.Ordinal);
        Assert.Contains("with ESMTPS id", message, StringComparison.Ordinal);
        Assert.Contains("Subject: plain", message, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nJust text.\r\n", message, StringComparison.Ordinal);
        await _postfix.WaitForLogAsync(l => l.Contains("to=<alice@example.org>", StringComparison.Ordinal) && l.Contains("status=sent (250 2.0.0", StringComparison.Ordinal), "Postfix logs the 250");
        await _postfix.WaitForLogAsync("TLS connection established to 127.0.0.1");
    }

    [Fact]
    public async Task Relay_EightBitBody_KeptAsEightBit()
    {
        var body = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nFrom: sender@outside.test\r\nTo: bob@example.org\r\nSubject: eight\r\n\r\nCafé crème, naïve façade.\r\n";
        var reply = await SendThroughPostfixAsync("sender@outside.test", ["bob@example.org"], body, " BODY=8BITMIME");
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("bob", 1));
        Assert.Contains("Café crème, naïve façade.", message, StringComparison.Ordinal);
        Assert.Contains("Content-Transfer-Encoding: 8bit", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_SmtpUtf8Recipient_DeliveredWithUtf8Headers()
    {
        var body = "From: Sénder <sender@outside.test>\r\nTo: jöran@example.org\r\nSubject: grüße aus dem Süden\r\n\r\nHej!\r\n";
        var reply = await SendThroughPostfixAsync("sender@outside.test", ["jöran@example.org"], body, " SMTPUTF8");
        Assert.Equal(250, reply.Code);
        var message = Assert.Single(await _server.WaitForMessagesAsync("jöran", 1));
        Assert.Contains("Subject: grüße aus dem Süden", message, StringComparison.Ordinal);
        Assert.Contains("with UTF8SMTPS id", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_OverSize_PostfixBouncesWith552()
    {
        var big = "From: sender@outside.test\r\nTo: alice@example.org\r\nSubject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 76) + "\r\n", (MaxMessageBytes / 78) + 100));
        var reply = await SendThroughPostfixAsync("sender@outside.test", ["alice@example.org"], big);
        Assert.Equal(250, reply.Code);
        var line = await _postfix.WaitForLogAsync(l => l.Contains("to=<alice@example.org>", StringComparison.Ordinal) && l.Contains("status=bounced", StringComparison.Ordinal), "Postfix bounces the big message");
        // Postfix reads SIZE from our EHLO and does not even send it (RFC 1870 §6.1).
        Assert.True(line.Contains($"exceeds size limit {MaxMessageBytes} of server 127.0.0.1", StringComparison.Ordinal), line);
        Assert.Empty(await _server.MessagesAsync("alice"));
    }

    [Fact]
    public async Task Relay_UnknownRecipient_PostfixBouncesWith550511()
    {
        var reply = await SendThroughPostfixAsync("sender@outside.test", ["nobody@example.org"], "Subject: lost\r\n\r\nWho?\r\n");
        Assert.Equal(250, reply.Code);
        var line = await _postfix.WaitForLogAsync(l => l.Contains("to=<nobody@example.org>", StringComparison.Ordinal) && l.Contains("status=bounced", StringComparison.Ordinal), "Postfix bounces the unknown recipient");
        Assert.Contains("550 5.1.1 nobody@example.org", line, StringComparison.Ordinal);
    }

    private async Task<SmtpReply> SendThroughPostfixAsync(string from, IReadOnlyList<string> to, string message, string parameters = "")
    {
        await using var dialog = await SmtpDialog.ConnectAsync(_postfix.Host, _postfix.Port);
        Assert.Equal(250, (await dialog.CommandAsync("EHLO client.outside.test")).Code);
        return await dialog.SendMailAsync(from, to, message, parameters);
    }
}
