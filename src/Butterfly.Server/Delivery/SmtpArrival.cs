using Butterfly.Mime;

namespace Butterfly.Server.Delivery;

/// <summary>A message the SMTP gateway received from the internet, at the end of DATA.</summary>
/// <param name="Sender">The envelope sender (MAIL FROM; empty for the null sender).</param>
/// <param name="Recipients">The recipients accepted at RCPT time.</param>
/// <param name="Raw">The message as received (dot-unstuffed, lines ending in CRLF).</param>
/// <param name="Parsed">The parsed message.</param>
/// <param name="From">What the trace field says it came from: the HELO name and the client's address.</param>
/// <param name="Protocol">The trace field's <c>with</c> keyword (RFC 3848: ESMTP, ESMTPS, UTF8SMTPS, ...).</param>
/// <param name="AuthenticationResults">The <c>Authentication-Results</c> field to add (whole, with its line end), or null.</param>
/// <param name="Quarantine">Whether local copies go to Junk (a DMARC <c>p=quarantine</c> failure).</param>
internal sealed record SmtpArrival(
    string Sender,
    IReadOnlyList<string> Recipients,
    ReadOnlyMemory<byte> Raw,
    MimeMessage Parsed,
    string From,
    string Protocol,
    string? AuthenticationResults,
    bool Quarantine);
