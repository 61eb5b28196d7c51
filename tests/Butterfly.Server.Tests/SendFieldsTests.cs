using System.Text;
using Butterfly.Client;
using Butterfly.Server.Tests.Infrastructure;

namespace Butterfly.Server.Tests;

/// <summary>
/// <c>send</c> with simple fields (protocol/client.md, "send"): the server composes the message
/// with MimeKit, and what the recipients get reads back as what was sent.
/// </summary>
public sealed class SendFieldsTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Send_NonAsciiSubjectBodyAndDisplayNames_RoundTrip()
    {
        await using var zoe = await RegisterAsync("zoe-fields@example.org");
        await using var bob = await RegisterAsync("bob-fields@example.org");
        await using var carol = await RegisterAsync("carol-fields@example.org");
        await using var dave = await RegisterAsync("dave-fields@example.org");
        const string subject = "Grüße aus Köln, 日本 — ☕ and a subject long enough to be folded over more than one line";
        var text = "Hallo Björn,\nwie geht's? 😀\n\n" + new string('x', 1200) + " Ünïcödé\n-- \nZoë\n";

        var sent = await zoe.SendAsync(new SendRequest
        {
            To = ["Björn Ångström <bob-fields@example.org>"],
            Cc = ["\"Müller, Carol\" <carol-fields@example.org>"],
            Bcc = ["dave-fields@example.org"],
            Subject = subject,
            Text = text,
        });

        Assert.All(sent.Recipients, r => Assert.Equal("delivered", r.Status));
        Assert.EndsWith("@example.org>", sent.MessageId, StringComparison.Ordinal);
        var bytes = await FetchOnlyAsync(bob);
        using var stream = new MemoryStream(bytes);
        var message = MimeKit.MimeMessage.Load(stream);

        Assert.Equal(subject, message.Subject);
        Assert.Equal("zoe-fields@example.org", Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(message.From)).Address);
        var to = Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(message.To));
        Assert.Equal(("Björn Ångström", "bob-fields@example.org"), (to.Name, to.Address));
        var cc = Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(message.Cc));
        Assert.Equal(("Müller, Carol", "carol-fields@example.org"), (cc.Name, cc.Address));
        Assert.Empty(message.Bcc);
        Assert.Equal(text, message.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal("<" + message.MessageId + ">", sent.MessageId);
        Assert.Equal("1.0", message.MimeVersion?.ToString());
        Assert.InRange(message.Date, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        // On the wire: CRLF everywhere, no line over 998 characters, the header block in ASCII
        // (encoded words), and nothing naming the Bcc recipient.
        var raw = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("dave-fields", raw, StringComparison.Ordinal);
        var lines = raw.Split("\r\n");
        Assert.All(lines, line => Assert.True(line.Length <= 998 && !line.Contains('\n', StringComparison.Ordinal), line));
        var header = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.True(Ascii.IsValid(header), header);

        // The other recipients have it too, and the list shows the decoded fields.
        Assert.Equal(subject, Assert.Single((await carol.ListMessagesAsync("Inbox")).Messages).Subject);
        Assert.Equal(subject, Assert.Single((await dave.ListMessagesAsync("Inbox")).Messages).Subject);
        Assert.Contains("Björn Ångström", Assert.Single(Assert.Single((await bob.ListMessagesAsync("Inbox")).Messages).To), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NoSubjectNoText_AnEmptyPlainTextMessage()
    {
        await using var zoe = await RegisterAsync("zoe-empty@example.org");
        await using var bob = await RegisterAsync("bob-empty@example.org");

        await zoe.SendAsync(new SendRequest { To = ["bob-empty@example.org"] });

        using var stream = new MemoryStream(await FetchOnlyAsync(bob));
        var message = MimeKit.MimeMessage.Load(stream);
        Assert.True(string.IsNullOrEmpty(message.Subject));
        Assert.Equal("text/plain", message.Body?.ContentType.MimeType);
        Assert.True(string.IsNullOrWhiteSpace(message.TextBody), message.TextBody);
    }

    [Theory]
    [InlineData("Bob <not an address>")]
    [InlineData("bob-invalid@example.org, carol@example.org")]
    [InlineData("<>")]
    public async Task Send_EntryThatIsNotOneAddress_RecipientInvalid(string entry)
    {
        await using var zoe = await RegisterAsync($"zoe-invalid-{Math.Abs(entry.GetHashCode(StringComparison.Ordinal))}@example.org");

        var refused = await Assert.ThrowsAsync<ButterflyException>(() => zoe.SendAsync(new SendRequest { To = [entry], Subject = "x", Text = "x" }));

        Assert.Equal("recipient.invalid", refused.Code);
        Assert.Contains(entry, refused.Message, StringComparison.Ordinal);
    }

    private async Task<ButterflyClient> RegisterAsync(string address)
    {
        var client = await ButterflyClient.ConnectAsync(daemon.EndPoint);
        await client.RegisterAsync(address, "fields-password");
        return client;
    }

    private static async Task<byte[]> FetchOnlyAsync(ButterflyClient client)
    {
        var item = Assert.Single((await client.ListMessagesAsync("Inbox")).Messages);
        return (await client.FetchAsync("Inbox", item.Id)).Content.ToArray();
    }
}
