using Butterfly.Server.Mail;

namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>SPF, DKIM and DMARC of incoming mail, over the server's one resolver.</summary>
internal sealed class SenderChecker(Dns.IDnsResolver dns, string serverName)
{
    private readonly SpfCheck _spf = new(dns, serverName);
    private readonly DkimCheck _dkim = new(dns);
    private readonly DmarcCheck _dmarc = new(dns, DomainAlignment.System, new Random());

    /// <summary>Starts SPF for a transaction (at MAIL FROM).</summary>
    public Task<SpfOutcome> CheckSpfAsync(System.Net.IPAddress client, string helo, string sender, CancellationToken ct) =>
        _spf.CheckAsync(client, helo, sender, ct);

    /// <summary>DKIM and DMARC of the message as received, with the transaction's SPF outcome.</summary>
    public async Task<SenderVerdict> CheckAsync(byte[] raw, SpfOutcome spf, CancellationToken ct)
    {
        MimeKit.MimeMessage message;
        try
        {
            message = await MimeKit.MimeMessage.LoadAsync(new MemoryStream(raw, writable: false), ct);
        }
        catch (FormatException)
        {
            return new SenderVerdict(spf, [], DmarcOutcome.None);
        }

        using (message)
        {
            var dkim = await _dkim.VerifyAsync(message, ct);
            var from = message.From.Mailboxes.ToList();
            var fromDomain = from.Count == 1 && Addresses.TryNormalize(from[0].Address, out _, out var domain) ? domain : string.Empty;
            var dmarc = await _dmarc.EvaluateAsync(fromDomain, spf, dkim, ct);
            return new SenderVerdict(spf, dkim, dmarc);
        }
    }
}
