using System.Net;
using Butterfly.Server.Commands;
using SmtpServer;

namespace Butterfly.Server.Smtp;

/// <summary>What the gateway keeps about one SMTP session beside the library's own context.</summary>
internal sealed class SmtpSessionState(IPEndPoint remote, SourceKey source, SmtpPipe pipe)
{
    /// <summary>The key under which the session context's properties hold it.</summary>
    public const string Key = "Butterfly:SmtpSession";

    /// <summary>The client's address and port.</summary>
    public IPEndPoint Remote { get; } = remote;

    /// <summary>The client's address as penalties and connection caps count it.</summary>
    public SourceKey Source { get; } = source;

    /// <summary>The connection.</summary>
    public SmtpPipe Pipe { get; } = pipe;

    /// <summary>The name the client gave in EHLO or HELO (empty before it did).</summary>
    public string Helo { get; set; } = string.Empty;

    /// <summary>Whether it said EHLO (ESMTP) rather than HELO.</summary>
    public bool Extended { get; set; }

    /// <summary>The ESMTP parameters of the MAIL command being run (the library passes them to no filter).</summary>
    public IReadOnlyDictionary<string, string>? MailParameters { get; set; }

    /// <summary>Recipients refused in this session (unknown, relaying): past <c>smtp.maxBadRecipients</c> the session ends.</summary>
    public int BadRecipients { get; set; }

    /// <summary>The current transaction (from MAIL to the end of DATA or RSET).</summary>
    public SmtpTransactionState Transaction { get; private set; } = new(string.Empty, 0, false);

    /// <summary>The state of the session <paramref name="context"/> belongs to.</summary>
    public static SmtpSessionState Of(ISessionContext context) => (SmtpSessionState)context.Properties[Key];

    /// <summary>Starts a transaction at MAIL FROM.</summary>
    public SmtpTransactionState Begin(string sender, long declaredSize, bool utf8)
    {
        Transaction = new SmtpTransactionState(sender, declaredSize, utf8);
        return Transaction;
    }
}
