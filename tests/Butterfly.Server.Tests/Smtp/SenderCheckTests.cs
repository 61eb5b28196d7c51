using System.Security.Cryptography;
using Butterfly.Server.Tests.Dns;
using Butterfly.TestUtilities;
using MimeKit;
using MimeKit.Cryptography;

namespace Butterfly.Server.Tests.Smtp;

/// <summary>SPF, DKIM and DMARC of incoming mail, with the sender domains' records on a loopback DNS server.</summary>
public sealed class SenderCheckTests : IAsyncLifetime
{
    private readonly TempDirectory _keys = new("butterfly-dkim");
    private SmtpTestServer _server = null!;
    private string _dkimKeyFile = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await SmtpTestServer.StartAsync(["alice"]);
        using var rsa = RSA.Create(2048);
        _dkimKeyFile = _keys.Combine("dkim.pem");
        await File.WriteAllTextAsync(_dkimKeyFile, rsa.ExportRSAPrivateKeyPem());
        var publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        _server.Dns.Add(
            TestRecord.Txt("pass.test", "v=spf1 ip4:127.0.0.0/8 -all"),
            TestRecord.Txt("fail.test", "v=spf1 ip4:192.0.2.1 -all"),
            TestRecord.Txt("soft.test", "v=spf1 ~all"),
            TestRecord.Txt("client.test", "v=spf1 a -all"),
            TestRecord.A("client.test", "127.0.0.1"),
            TestRecord.Txt("reject.test", "v=spf1 -all"),
            TestRecord.Txt("_dmarc.reject.test", "v=DMARC1; p=reject"),
            TestRecord.Txt("quarantine.test", "v=spf1 -all"),
            TestRecord.Txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine; pct=100"),
            TestRecord.Txt("monitor.test", "v=spf1 -all"),
            TestRecord.Txt("_dmarc.monitor.test", "v=DMARC1; p=none"),
            TestRecord.Txt("aligned.test", "v=spf1 ip4:127.0.0.1 -all"),
            TestRecord.Txt("_dmarc.aligned.test", "v=DMARC1; p=reject"),
            TestRecord.Txt("signed.test", "v=spf1 -all"),
            TestRecord.Txt("_dmarc.signed.test", "v=DMARC1; p=reject; adkim=s"),
            TestRecord.Txt("sel1._domainkey.signed.test", [.. ("v=DKIM1; k=rsa; p=" + publicKey).Chunk(255).Select(c => new string(c))]));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _keys.Dispose();
    }

    [Theory]
    [InlineData("pass.test", "spf=pass smtp.mailfrom=someone@pass.test")]
    [InlineData("fail.test", "spf=fail smtp.mailfrom=someone@fail.test")]
    [InlineData("soft.test", "spf=softfail smtp.mailfrom=someone@soft.test")]
    [InlineData("nowhere.test", "spf=none smtp.mailfrom=someone@nowhere.test")]
    public async Task Spf_EnvelopeSender_RecordedAndDelivered(string domain, string expected)
    {
        var message = await DeliverAsync($"someone@{domain}", $"From: someone@{domain}\r\nSubject: spf\r\n\r\nbody\r\n");
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("spf=pass smtp.helo=client.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dmarc_RejectPolicyFailing_550571AtTheDot()
    {
        await using var dialog = await _server.HelloAsync();
        var reply = await dialog.SendMailAsync("ceo@reject.test", ["alice@example.org"], "From: ceo@reject.test\r\nSubject: wire money\r\n\r\nnow\r\n");
        Assert.Equal(550, reply.Code);
        Assert.StartsWith("550 5.7.1 Rejected by the DMARC policy of reject.test", reply.Text, StringComparison.Ordinal);
        Assert.Empty(await _server.MessagesAsync("alice"));
    }

    [Fact]
    public async Task Dmarc_QuarantinePolicyFailing_DeliveredToJunk()
    {
        await using (var dialog = await _server.HelloAsync())
        {
            Assert.Equal(250, (await dialog.SendMailAsync("x@quarantine.test", ["alice@example.org"], "From: x@quarantine.test\r\nSubject: maybe spam\r\n\r\nhm\r\n")).Code);
        }

        var junk = Assert.Single(await _server.WaitForMessagesAsync("alice", 1, "Junk"));
        Assert.Contains("dmarc=fail (p=quarantine dis=quarantine) header.from=quarantine.test", junk, StringComparison.Ordinal);
        Assert.Empty(await _server.MessagesAsync("alice"));
    }

    [Fact]
    public async Task Dmarc_NonePolicyFailing_DeliveredToInboxWithFail()
    {
        var message = await DeliverAsync("x@monitor.test", "From: x@monitor.test\r\nSubject: monitored\r\n\r\nhm\r\n");
        Assert.Contains("dmarc=fail (p=none dis=none) header.from=monitor.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dmarc_SpfAligned_PassesDespiteRejectPolicy()
    {
        var message = await DeliverAsync("news@aligned.test", "From: news@aligned.test\r\nSubject: aligned\r\n\r\nhello\r\n");
        Assert.Contains("dmarc=pass (p=reject dis=none) header.from=aligned.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dkim_ValidSignature_PassesAndAlignsDmarc()
    {
        var message = await DeliverAsync("bounce@elsewhere.test", Signed("Signed and sealed.\r\n"));
        Assert.Contains("dkim=pass header.d=signed.test header.s=sel1", message, StringComparison.Ordinal);
        Assert.Contains("dmarc=pass (p=reject dis=none) header.from=signed.test", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dkim_BodyChangedAfterSigning_FailsAndDmarcRejects()
    {
        var tampered = Signed("Pay 10 euros.\r\n").Replace("Pay 10 euros.", "Pay 9999 euros.", StringComparison.Ordinal);
        await using var dialog = await _server.HelloAsync();
        var reply = await dialog.SendMailAsync("bounce@elsewhere.test", ["alice@example.org"], tampered);
        Assert.Equal(550, reply.Code);
        Assert.Contains("DMARC policy of signed.test", reply.Text, StringComparison.Ordinal);
    }

    private async Task<string> DeliverAsync(string sender, string message)
    {
        await using (var dialog = await _server.HelloAsync())
        {
            var reply = await dialog.SendMailAsync(sender, ["alice@example.org"], message);
            Assert.True(reply.Code == 250, reply.Text);
        }

        return Assert.Single(await _server.WaitForMessagesAsync("alice", 1));
    }

    private string Signed(string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("billing@signed.test"));
        message.To.Add(MailboxAddress.Parse("alice@example.org"));
        message.Subject = "Invoice";
        message.MessageId = "<invoice-1@signed.test>";
        message.Body = new TextPart("plain") { Text = body };
        message.Prepare(EncodingConstraint.SevenBit);
        var signer = new DkimSigner(_dkimKeyFile, "signed.test", "sel1", DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.MessageId]);
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default.Clone(), stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
    }
}
