namespace Butterfly.Server.Smtp;

/// <summary>The limits one SMTP connection's <see cref="SmtpGuardStream"/> enforces.</summary>
/// <param name="MaxCommandBytes">The longest command line, CRLF included (<c>smtp.maxCommandBytes</c>).</param>
/// <param name="MaxMessageBytes">The largest message kept (<c>limits.maxMessageBytes</c>).</param>
/// <param name="Timeout">How long the client may stay silent (<c>smtp.timeoutSeconds</c>).</param>
internal sealed record SmtpLimits(int MaxCommandBytes, long MaxMessageBytes, TimeSpan Timeout);
