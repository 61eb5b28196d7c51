using Butterfly.Server.Smtp.SenderChecks;

namespace Butterfly.Server.Smtp;

/// <summary>One mail transaction: the envelope so far, and the SPF check started at MAIL FROM.</summary>
/// <param name="sender">The envelope sender (empty for <c>&lt;&gt;</c>).</param>
/// <param name="declaredSize">The SIZE the client declared, or 0.</param>
/// <param name="utf8">Whether MAIL FROM carried SMTPUTF8 (RFC 6531).</param>
internal sealed class SmtpTransactionState(string sender, long declaredSize, bool utf8)
{
    /// <summary>The envelope sender (empty for the null sender).</summary>
    public string Sender { get; } = sender;

    /// <summary>The SIZE the client declared, or 0.</summary>
    public long DeclaredSize { get; } = declaredSize;

    /// <summary>Whether the transaction is SMTPUTF8.</summary>
    public bool Utf8 { get; } = utf8;

    /// <summary>The recipients accepted so far.</summary>
    public List<string> Recipients { get; } = [];

    /// <summary>The SPF check of the sender and HELO, started at MAIL FROM so DNS runs while RCPTs come in; null when checks are off.</summary>
    public Task<SpfOutcome>? Spf { get; set; }
}
