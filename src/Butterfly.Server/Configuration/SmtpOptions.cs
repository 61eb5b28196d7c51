namespace Butterfly.Server.Configuration;

/// <summary>
/// The smtp section of <c>butterfly.json</c>: the SMTP gateway. Its inbound side (Butterfly as an MX)
/// listens on <see cref="Listen"/> for mail from the rest of the world to this server's domains.
/// </summary>
public sealed partial class SmtpOptions
{
    /// <summary>HOST:PORT of the inbound SMTP listener (<c>0.0.0.0:25</c> for an MX); null (the default) means none.</summary>
    public string? Listen { get; set; }

    /// <summary>
    /// The authserv-id of the <c>Authentication-Results</c> field the gateway adds (RFC 8601 §2.5); fields that
    /// claim it are removed from incoming mail. Default: the server's name.
    /// </summary>
    public string? AuthServId { get; set; }

    /// <summary>Whether SPF, DKIM and DMARC are checked and DMARC policy applied to incoming mail. Default true.</summary>
    public bool CheckSenders { get; set; } = true;

    /// <summary>Seconds a client may stay silent (between commands, or inside DATA) before it is disconnected with 421. Default 300 (RFC 5321 §4.5.3.2).</summary>
    public double TimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds a whole SMTP session may last. Default 1800.</summary>
    public double SessionTimeoutSeconds { get; set; } = 1800;

    /// <summary>Refused recipients (unknown, relay) one session may try before it is disconnected with 421. Default 20.</summary>
    public int MaxBadRecipients { get; set; } = 20;

    /// <summary>The longest command line in bytes, CRLF included (RFC 5321 §4.5.3.1.4 sets 512; extensions need more). Default 2048.</summary>
    public int MaxCommandBytes { get; set; } = 2048;

    /// <summary>What is wrong with these options, one sentence per problem; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (Listen is not null && !ButterflyOptions.TryParseEndPoint(Listen, out _))
        {
            yield return $"smtp.listen: '{Listen}' is not HOST:PORT (an IP address and a port).";
        }

        if (AuthServId is not null && (AuthServId.Length == 0 || AuthServId.Any(c => c <= ' ' || c >= 127 || c is ';' or '(' or ')' or '"')))
        {
            yield return $"smtp.authServId: '{AuthServId}' is not a domain-like token (RFC 8601 §2.5).";
        }

        if (!(TimeoutSeconds >= 1 && TimeoutSeconds <= 3600))
        {
            yield return "smtp.timeoutSeconds must be between 1 and 3600.";
        }

        if (!(SessionTimeoutSeconds >= TimeoutSeconds && SessionTimeoutSeconds <= 86_400))
        {
            yield return "smtp.sessionTimeoutSeconds must be at least smtp.timeoutSeconds and at most 86400.";
        }

        if (MaxBadRecipients < 1)
        {
            yield return "smtp.maxBadRecipients must be at least 1.";
        }

        if (MaxCommandBytes < 512 || MaxCommandBytes > 65_536)
        {
            yield return "smtp.maxCommandBytes must be between 512 and 65536.";
        }
    }
}
