using System.Text;
using Butterfly.Client;
using Butterfly.TestUtilities;
using MimeKit;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>
/// Butterfly → Postfix (Debian's package, a private instance on loopback) through <c>smtp.routes</c>: Postfix takes
/// the mail into a Maildir, and the DKIM signatures of the file it wrote verify against the published records.
/// </summary>
public sealed class SmtpOutboundPostfixTests
{
    [Fact]
    public async Task Send_ToPostfixThroughARoute_DeliveredWithSignaturesThatVerify()
    {
        var settings = new PostfixSettings();
        settings.MailboxDomains.Add(B);
        await using var postfix = await PrivatePostfix.StartAsync(settings);
        using var directory = new TempDirectory("butterfly-smtp-postfix");
        await using var network = await OutboundKit.StartAsync(directory, $"{postfix.Host}:{postfix.Port}");

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            var status = Assert.Single(await SendAsync(alice, "to postfix", Bob));
            Assert.Equal("smtp", status.Via);
        }

        await postfix.WaitForLogAsync("status=sent");
        await Eventually.TrueAsync(() => postfix.Delivered(B).Count == 1, "Postfix stored the message");
        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        using var message = MimeMessage.Load(postfix.Delivered(B)[0]);
        Assert.Equal("to postfix", message.Subject);
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], OutboundKit.VerifiedAlgorithms(message, OutboundKit.KeysOf(network)));
    }

    [Fact]
    public async Task Send_ToPostfixWithout8BitMime_Downgraded7BitAndVerifies()
    {
        var settings = new PostfixSettings();
        settings.MailboxDomains.Add(B);
        settings.Main["smtpd_discard_ehlo_keywords"] = "8bitmime, smtputf8";
        await using var postfix = await PrivatePostfix.StartAsync(settings);
        using var directory = new TempDirectory("butterfly-smtp-postfix-7bit");
        await using var network = await OutboundKit.StartAsync(directory, $"{postfix.Host}:{postfix.Port}");

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await alice.SendAsync(new SendRequest
            {
                Raw = Encoding.UTF8.GetBytes(
                    "From: alice@a.example\r\nTo: bob@b.example\r\nSubject: Grüße\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSchöne Grüße aus Köln\r\n"),
                Rcpt = [Bob],
            });
        }

        await Eventually.TrueAsync(() => postfix.Delivered(B).Count == 1, "Postfix stored the message");
        var bytes = File.ReadAllBytes(postfix.Delivered(B)[0]);
        Assert.DoesNotContain(bytes, b => b >= 0x80);
        using var message = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal("Grüße", message.Subject);
        Assert.Equal("Schöne Grüße aus Köln", message.TextBody?.TrimEnd());
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], OutboundKit.VerifiedAlgorithms(message, OutboundKit.KeysOf(network)));
    }
}
