using System.Text;
using Butterfly.Server.Configuration;
using Butterfly.Server.Dkim;
using Butterfly.Server.Federation;
using Butterfly.Server.Mail;
using Butterfly.Server.Smtp.Outbound;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Butterfly.Server.Tests.Smtp.Outbound;

/// <summary>The SMTP transport on its own, against the scripted receiver: what it says to the server and how it fails.</summary>
public sealed class SmtpTransportTests : IDisposable
{
    private static readonly byte[] _message = Encoding.ASCII.GetBytes("From: alice@a.example\r\nTo: bob@b.example\r\nSubject: t\r\n\r\nHello\r\n");
    private readonly TempDirectory _directory = new("butterfly-smtp-transport");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task DeliverAsync_NullSender_MailFromEmptyPath()
    {
        await using var receiver = new ScriptedSmtpReceiver();
        await using var transport = Transport();

        var results = await transport.DeliverAsync("b.example", [Route(receiver)], string.Empty, ["bob@b.example"], _message, CancellationToken.None);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(results).Status);
        Assert.Contains(receiver.Commands, c => c.StartsWith("MAIL FROM:<> ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeliverAsync_CutAfterTheDot_TemporaryAndCounted()
    {
        await using var receiver = new ScriptedSmtpReceiver { OnData = _ => DataAction.CloseAfterDot };
        await using var transport = Transport();

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync("b.example", [Route(receiver)], "alice@a.example", ["bob@b.example"], _message, CancellationToken.None));

        Assert.False(failure.Permanent);
        Assert.Equal("smtp.reply-lost", failure.Code);
        Assert.Equal(1, transport.RepliesLost);
        Assert.Single(receiver.Messages);
    }

    [Fact]
    public async Task DeliverAsync_TlsRequiredNotOffered_TemporaryTlsFailureNothingSent()
    {
        await using var receiver = new ScriptedSmtpReceiver();
        await using var transport = Transport();

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            "b.example", [Route(receiver) with { TlsRequired = true }], "alice@a.example", ["bob@b.example"], _message, CancellationToken.None));

        Assert.Equal(("smtp.tls-required", false), (failure.Code, failure.Permanent));
        Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeliverAsync_FirstHostRefusesConnections_TheNextOneTakesIt()
    {
        await using var receiver = new ScriptedSmtpReceiver();
        await using var transport = Transport();
        var closed = new SmtpDestination("127.0.0.1", ClosedPort(), "mx");

        var results = await transport.DeliverAsync("b.example", [closed, Route(receiver)], "alice@a.example", ["bob@b.example"], _message, CancellationToken.None);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(results).Status);
    }

    [Fact]
    public async Task DeliverAsync_NoHostAnswers_TemporaryUnreachable()
    {
        await using var transport = Transport();

        var failure = await Assert.ThrowsAsync<PeerException>(() => transport.DeliverAsync(
            "b.example", [new SmtpDestination("127.0.0.1", ClosedPort(), "mx")], "alice@a.example", ["bob@b.example"], _message, CancellationToken.None));

        Assert.Equal(("smtp.unreachable", false), (failure.Code, failure.Permanent));
    }

    private SmtpTransport Transport()
    {
        var options = new ButterflyOptions { Domains = ["a.example"], DataDirectory = _directory.Combine("data") };
        return new SmtpTransport(options, DkimKeyStore.For(options), null, NullLogger.Instance);
    }

    private static SmtpDestination Route(ScriptedSmtpReceiver receiver)
    {
        var colon = receiver.Address.LastIndexOf(':');
        return new SmtpDestination(receiver.Address[..colon], int.Parse(receiver.Address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), "route");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
