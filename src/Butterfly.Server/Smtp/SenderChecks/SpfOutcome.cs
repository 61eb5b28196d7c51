namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>The SPF results of one transaction (RFC 7208 §2.6): of the MAIL FROM identity and of the HELO identity.</summary>
/// <param name="MailFrom">The result for MAIL FROM (<c>pass</c>, <c>fail</c>, <c>softfail</c>, <c>neutral</c>, <c>none</c>, <c>temperror</c>, <c>permerror</c>); for the null sender, the HELO result (§2.4).</param>
/// <param name="MailFromDomain">The domain checked for MAIL FROM (the HELO name for the null sender); empty when none.</param>
/// <param name="MailFromIdentity">The identity recorded as <c>smtp.mailfrom</c>.</param>
/// <param name="Helo">The result for the HELO identity, or null when the HELO name is not a domain.</param>
/// <param name="HeloDomain">The HELO name.</param>
internal sealed record SpfOutcome(string MailFrom, string MailFromDomain, string MailFromIdentity, string? Helo, string HeloDomain)
{
    /// <summary>No check was made.</summary>
    public static SpfOutcome None { get; } = new("none", string.Empty, string.Empty, null, string.Empty);
}
