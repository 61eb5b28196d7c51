namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>The sender checks of one message: what the Authentication-Results field says, and DMARC's disposition.</summary>
/// <param name="Spf">The SPF outcome.</param>
/// <param name="Dkim">The DKIM results.</param>
/// <param name="Dmarc">The DMARC outcome.</param>
internal sealed record SenderVerdict(SpfOutcome Spf, IReadOnlyList<DkimResult> Dkim, DmarcOutcome Dmarc);
