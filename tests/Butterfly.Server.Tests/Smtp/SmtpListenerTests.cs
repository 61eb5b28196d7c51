namespace Butterfly.Server.Tests.Smtp;

/// <summary>The inbound SMTP listener through raw dialogues: extensions, acceptance, RCPT checks, relaying.</summary>
public sealed class SmtpListenerTests : IAsyncLifetime
{
    private SmtpTestServer _server = null!;

    public async Task InitializeAsync() => _server = await SmtpTestServer.StartAsync(["alice", "bob"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ehlo_Always_OffersTheExtensions()
    {
        await using var dialog = await _server.ConnectAsync();
        Assert.Equal(220, dialog.Greeting.Code);
        Assert.StartsWith("220 mx.example.org ESMTP", dialog.Greeting.Text, StringComparison.Ordinal);
        var ehlo = await dialog.CommandAsync("EHLO client.test");
        Assert.Equal(250, ehlo.Code);
        foreach (var extension in new[] { "PIPELINING", "8BITMIME", "SMTPUTF8", "STARTTLS", "SIZE 26214400", "ENHANCEDSTATUSCODES" })
        {
            Assert.True(ehlo.Offers(extension), $"EHLO lacks {extension}: {ehlo}");
        }

        Assert.False(ehlo.Offers("CHUNKING"), "the library has no BDAT");
    }

    [Fact]
    public async Task SendMail_LocalRecipient_StoredWithTraceAndAuthenticationResults()
    {
        await using (var dialog = await _server.HelloAsync("sender.test"))
        {
            var reply = await dialog.SendMailAsync("someone@sender.test", ["alice@example.org"], "From: someone@sender.test\r\nTo: alice@example.org\r\nSubject: hello from outside\r\n\r\nHi Alice.\r\n");
            Assert.Equal(250, reply.Code);
            Assert.StartsWith("250 2.0.0", reply.Text, StringComparison.Ordinal);
        }

        var message = Assert.Single(await _server.MessagesAsync("alice"));
        Assert.StartsWith("Received: from sender.test ([127.0.0.1])", message, StringComparison.Ordinal);
        Assert.Contains("with ESMTP id", message, StringComparison.Ordinal);
        Assert.Contains("Authentication-Results: mx.example.org;", message, StringComparison.Ordinal);
        Assert.Contains("spf=none", message, StringComparison.Ordinal);
        Assert.Contains("Subject: hello from outside", message, StringComparison.Ordinal);
        Assert.True(message.EndsWith("\r\n\r\nHi Alice.\r\n", StringComparison.Ordinal), message);
    }

    [Fact]
    public async Task Rcpt_UnknownLocalAddress_550511()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<someone@sender.test>")).Code);
        var reply = await dialog.CommandAsync("RCPT TO:<nobody@example.org>");
        Assert.Equal(550, reply.Code);
        Assert.StartsWith("550 5.1.1 nobody@example.org", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("retry", reply.Text, StringComparison.Ordinal);
        Assert.Equal(250, (await dialog.CommandAsync("RCPT TO:<bob@example.org>")).Code);
    }

    [Fact]
    public async Task Rcpt_OtherDomain_RelayDenied550571()
    {
        await using var dialog = await _server.HelloAsync();
        Assert.Equal(250, (await dialog.CommandAsync("MAIL FROM:<alice@example.org>")).Code);
        var reply = await dialog.CommandAsync("RCPT TO:<victim@elsewhere.test>");
        Assert.Equal(550, reply.Code);
        Assert.StartsWith("550 5.7.1 Relaying denied", reply.Text, StringComparison.Ordinal);
        var data = await dialog.CommandAsync("DATA");
        Assert.True(data.Code / 100 == 5, $"DATA without a recipient: {data}");
    }
}
