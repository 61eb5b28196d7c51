namespace Butterfly.TestUtilities;

/// <summary>
/// What a test asks of a <see cref="PrivatePostfix"/>: where it relays mail (its transport map),
/// which domains it keeps in Maildirs of its own, and any other <c>main.cf</c> parameter.
/// </summary>
public sealed class PostfixSettings
{
    /// <summary>
    /// The transport map: domain → <c>host:port</c> (an IP literal or a name; written as
    /// <c>smtp:[host]:port</c>, so no MX lookup), or a full Postfix nexthop such as
    /// <c>smtp:[127.0.0.1]:2525</c> or <c>error:no such domain</c> when it holds a <c>:</c>
    /// before the host. Every domain listed is also a relay domain, so Postfix accepts mail for
    /// it from anyone.
    /// </summary>
    public Dictionary<string, string> Transports { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Domains Postfix delivers itself, every address of them, into one Maildir per domain (<see cref="PrivatePostfix.Delivered"/>).</summary>
    public List<string> MailboxDomains { get; } = [];

    /// <summary>The largest message Postfix accepts (<c>message_size_limit</c>); Postfix's default (10 MB) when null.</summary>
    public long? MessageSizeLimit { get; set; }

    /// <summary>
    /// A certificate and key (PEM files) for Postfix's own SMTP server: it then offers STARTTLS
    /// (<c>smtpd_tls_security_level = may</c>). None when null.
    /// </summary>
    public (string CertificateFile, string KeyFile)? ServerTls { get; set; }

    /// <summary>
    /// Any other <c>main.cf</c> parameter (e.g. <c>smtp_tls_security_level = may</c>,
    /// <c>relayhost</c>); written last, so it overrides what the fixture sets.
    /// </summary>
    public Dictionary<string, string> Main { get; } = new(StringComparer.Ordinal);
}
