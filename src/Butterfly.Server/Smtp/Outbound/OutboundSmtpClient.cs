using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>
/// MailKit's client, told to carry on when one recipient is refused (MailKit's default throws at the first) and to
/// remember which were, so each recipient gets its own result.
/// </summary>
internal sealed class OutboundSmtpClient : SmtpClient
{
    private readonly List<(string Address, SmtpResponse Reply)> _refused = [];

    /// <summary>Recipients the server refused at RCPT, with its reply, for the message being sent.</summary>
    public IReadOnlyList<(string Address, SmtpResponse Reply)> Refused => _refused;

    /// <summary>How many recipients the server took at RCPT for the message being sent.</summary>
    public int Accepted { get; private set; }

    /// <summary>The host (as named, not the address) this client is connected to.</summary>
    public string RemoteHost { get; set; } = string.Empty;

    /// <summary>When the connection was last used.</summary>
    public long LastUsed { get; set; }

    /// <summary>How many messages went over this connection.</summary>
    public int Sent { get; set; }

    /// <summary>Clears the per-message record before the next message.</summary>
    public void StartMessage()
    {
        _refused.Clear();
        Accepted = 0;
    }

    /// <inheritdoc/>
    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) => Accepted++;

    /// <inheritdoc/>
    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _refused.Add((mailbox.Address, response));
}
