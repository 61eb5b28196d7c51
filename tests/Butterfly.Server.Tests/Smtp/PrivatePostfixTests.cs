using Butterfly.TestUtilities;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>The private Postfix fixture itself: two instances at once, one relaying to the other through its transport map.</summary>
public sealed class PrivatePostfixTests
{
    [Fact]
    public async Task StartAsync_TransportToSecondInstance_MailLandsInItsMaildir()
    {
        var sinkSettings = new PostfixSettings();
        sinkSettings.MailboxDomains.Add("sink.test");
        await using var sink = await PrivatePostfix.StartAsync(sinkSettings);

        var relaySettings = new PostfixSettings();
        relaySettings.Transports["sink.test"] = $"{sink.Host}:{sink.Port}";
        await using var relay = await PrivatePostfix.StartAsync(relaySettings);
        Assert.NotEqual(sink.Port, relay.Port);

        await using (var dialog = await SmtpDialog.ConnectAsync(relay.Host, relay.Port))
        {
            Assert.Equal(220, dialog.Greeting.Code);
            Assert.Equal(250, (await dialog.CommandAsync("EHLO client.test")).Code);
            var reply = await dialog.SendMailAsync("someone@elsewhere.test", ["bob@sink.test"], "Subject: through two\r\n\r\nHello.\r\n");
            Assert.Equal(250, reply.Code);
        }

        await relay.WaitForLogAsync(l => l.Contains("to=<bob@sink.test>", StringComparison.Ordinal) && l.Contains("status=sent", StringComparison.Ordinal), "the relay hands the message on");
        await Eventually.TrueAsync(() => sink.Delivered("sink.test").Count == 1, "the sink has the message in its Maildir");
        var text = await File.ReadAllTextAsync(sink.Delivered("sink.test")[0]);
        Assert.Contains("Subject: through two", text, StringComparison.Ordinal);
        Assert.Contains("Delivered-To: bob@sink.test", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetTransportsAsync_NewRoute_DeferredMailGoesThere()
    {
        var relaySettings = new PostfixSettings();
        relaySettings.Transports["late.test"] = "error:not yet";
        await using var relay = await PrivatePostfix.StartAsync(relaySettings);
        var sinkSettings = new PostfixSettings();
        sinkSettings.MailboxDomains.Add("late.test");
        await using var sink = await PrivatePostfix.StartAsync(sinkSettings);

        await relay.SetTransportsAsync(new Dictionary<string, string> { ["late.test"] = $"{sink.Host}:{sink.Port}" });
        await using (var dialog = await SmtpDialog.ConnectAsync(relay.Host, relay.Port))
        {
            await dialog.CommandAsync("EHLO client.test");
            Assert.Equal(250, (await dialog.SendMailAsync("a@elsewhere.test", ["c@late.test"], "Subject: late\r\n\r\nx\r\n")).Code);
        }

        await Eventually.TrueAsync(() => sink.Delivered("late.test").Count == 1, "the sink has the message");
    }
}
