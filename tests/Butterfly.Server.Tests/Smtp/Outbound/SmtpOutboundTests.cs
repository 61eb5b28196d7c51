using System.Text;
using Butterfly.Client;
using Butterfly.TestUtilities;
using MimeKit;
using Xunit.Abstractions;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>
/// Outbound SMTP from a real daemon to a scripted SMTP receiver through <c>smtp.routes</c>: the send reply, DKIM,
/// the 7-bit downgrade, connection reuse, and receivers that fail: each message ends delivered once, never lost,
/// except the one case SMTP cannot tell (a connection cut after the final dot), which is counted.
/// </summary>
public sealed class SmtpOutboundTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Send_RoutedDomain_SaysSmtpAndArrivesOnceSignedWithBothAlgorithms()
    {
        using var directory = new TempDirectory("butterfly-smtp-out");
        await using var receiver = new ScriptedSmtpReceiver();
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            var status = Assert.Single(await SendAsync(alice, "over smtp", Bob));
            Assert.Equal(("queued", "smtp"), (status.Status, status.Via));
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        var received = Assert.Single(receiver.Messages);
        using var message = MimeMessage.Load(new MemoryStream(received));
        Assert.Equal("over smtp", message.Subject);
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], OutboundKit.VerifiedAlgorithms(message, OutboundKit.KeysOf(network)));
        Assert.Contains(receiver.Commands, c => c.StartsWith("MAIL FROM:<alice@a.example>", StringComparison.Ordinal));
        Assert.Contains(receiver.Commands, c => c == "RCPT TO:<bob@b.example>");
    }

    [Fact]
    public async Task Send_ReceiverWithout8BitMimeAndSmtpUtf8_DowngradedTo7BitAndStillVerifies()
    {
        using var directory = new TempDirectory("butterfly-smtp-7bit");
        await using var receiver = new ScriptedSmtpReceiver(eightBitMime: false, smtpUtf8: false);
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);
        var raw = Encoding.UTF8.GetBytes(
            "From: Alice <alice@a.example>\r\nTo: Bob <bob@b.example>\r\nSubject: Grüße aus Köln\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSchöne Grüße, ça va? — Ωμέγα\r\n");

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await alice.SendAsync(new SendRequest { Raw = raw, Rcpt = [Bob] });
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        var received = Assert.Single(receiver.Messages);
        Assert.DoesNotContain(received, b => b >= 0x80);
        Assert.DoesNotContain(receiver.Commands, c => c.Contains("8BITMIME", StringComparison.Ordinal) || c.Contains("SMTPUTF8", StringComparison.Ordinal));
        using var message = MimeMessage.Load(new MemoryStream(received));
        Assert.Equal("Grüße aus Köln", message.Subject);
        Assert.Equal("Schöne Grüße, ça va? — Ωμέγα", message.TextBody?.TrimEnd());
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], OutboundKit.VerifiedAlgorithms(message, OutboundKit.KeysOf(network)));
    }

    [Fact]
    public async Task Send_ReceiverWith8BitMime_SentAs8Bit()
    {
        using var directory = new TempDirectory("butterfly-smtp-8bit");
        await using var receiver = new ScriptedSmtpReceiver();
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);
        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await alice.SendAsync(new SendRequest
            {
                Raw = Encoding.UTF8.GetBytes("From: alice@a.example\r\nTo: bob@b.example\r\nSubject: 8bit\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n"),
                Rcpt = [Bob],
            });
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        Assert.Contains("Grüße\r\n", Encoding.UTF8.GetString(Assert.Single(receiver.Messages)), StringComparison.Ordinal);
        Assert.Contains(receiver.Commands, c => c.StartsWith("MAIL FROM:<alice@a.example>", StringComparison.Ordinal) && c.Contains("BODY=8BITMIME", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_SeveralMessagesToOneDomain_ReuseOneConnection()
    {
        using var directory = new TempDirectory("butterfly-smtp-reuse");
        await using var receiver = new ScriptedSmtpReceiver();
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);
        await using var alice = await LoginAsync(network[A], Alice);

        for (var i = 0; i < 3; i++)
        {
            await SendAsync(alice, $"message {i}", Bob);
            await Eventually.TrueAsync(() => receiver.Messages.Count == i + 1, $"message {i} arrives");
        }

        Assert.Equal(1, receiver.Connections);
        Assert.Equal(3, receiver.Commands.Count(c => c == "DATA"));
    }

    [Theory]
    [InlineData(DataAction.CloseMidData)]
    [InlineData(DataAction.TempFail)]
    public async Task Send_ReceiverFailsTheFirstTime_RetriedAndArrivesExactlyOnce(DataAction first)
    {
        using var directory = new TempDirectory("butterfly-smtp-retry");
        await using var receiver = new ScriptedSmtpReceiver { OnData = n => n == 0 ? first : DataAction.Accept };
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "try again", Bob);
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        Assert.Equal(2, receiver.Commands.Count(c => c == "DATA"));

        // Complete copies the receiver read: one, or two when the first was refused with 451 (it kept nothing: one delivered).
        Assert.Equal(first == DataAction.TempFail ? 2 : 1, receiver.Messages.Count);
        using var message = MimeMessage.Load(new MemoryStream(receiver.Messages[^1]));
        Assert.Equal("try again", message.Subject);
        await using var aliceAgain = await LoginAsync(network[A], Alice);
        Assert.Empty(await SubjectsAsync(aliceAgain));
    }

    [Fact]
    public async Task Send_ReceiverClosesAfterTheDot_RetriedAndTheDuplicateIsCountedAndLogged()
    {
        using var directory = new TempDirectory("butterfly-smtp-dot");
        await using var receiver = new ScriptedSmtpReceiver { OnData = n => n == 0 ? DataAction.CloseAfterDot : DataAction.Accept };
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "after the dot", Bob);
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));

        // SMTP cannot tell whether the first copy was kept: it is sent again, and the receiver has two.
        Assert.Equal(2, receiver.Messages.Count);
        var lost = network[A].Output.Split('\n').Count(l => l.Contains("it will be sent again and may arrive twice", StringComparison.Ordinal));
        Assert.Equal(1, lost);
        output.WriteLine($"duplicates seen after a cut following the final dot: {receiver.Messages.Count - 1} (logged {lost})");
        await using var aliceAgain = await LoginAsync(network[A], Alice);
        Assert.Empty(await SubjectsAsync(aliceAgain));
    }

    [Fact]
    public async Task Send_ReceiverRefusesOneRecipient_DeliversTheOtherAndBouncesThatOne()
    {
        using var directory = new TempDirectory("butterfly-smtp-rcpt");
        await using var receiver = new ScriptedSmtpReceiver();
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "two recipients", Bob, "unknown@b.example");
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        await WaitForFolderAsync(network[A], Alice, s => s.Count == 1, "alice has a bounce");
        Assert.Single(receiver.Messages);
        await using var aliceAgain = await LoginAsync(network[A], Alice);
        var bounce = (await aliceAgain.ListMessagesAsync("Inbox", 10)).Messages.Single();
        var text = Encoding.UTF8.GetString((await aliceAgain.FetchAsync("Inbox", bounce.Id)).Content);
        Assert.Contains("unknown@b.example", text, StringComparison.Ordinal);
        Assert.Contains("Status: 5.1.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Final-Recipient: rfc822; bob@b.example", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ReceiverRejectsTheMessage_BouncedOnceNotRetried()
    {
        using var directory = new TempDirectory("butterfly-smtp-554");
        await using var receiver = new ScriptedSmtpReceiver { OnData = _ => DataAction.Reject };
        await using var network = await OutboundKit.StartAsync(directory, receiver.Address);

        await using (var alice = await LoginAsync(network[A], Alice))
        {
            await SendAsync(alice, "refused", Bob);
        }

        await WaitForEmptyQueueAsync(network.ConfigOf(A));
        await WaitForFolderAsync(network[A], Alice, s => s.Count == 1, "alice has a bounce");
        Assert.Equal(1, receiver.Commands.Count(c => c == "DATA"));
    }
}
