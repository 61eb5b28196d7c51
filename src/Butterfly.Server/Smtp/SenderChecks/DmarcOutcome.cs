namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>The DMARC result of a message and what this server does about it.</summary>
/// <param name="Result"><c>pass</c>, <c>fail</c>, <c>none</c> (no policy published), <c>temperror</c> or <c>permerror</c>.</param>
/// <param name="FromDomain">The RFC 5322.From domain; empty when there is not exactly one.</param>
/// <param name="Policy">The policy that applies (p= or sp=), or null without a record.</param>
/// <param name="Disposition">What is done: <c>none</c>, <c>quarantine</c> (to Junk) or <c>reject</c> (550 5.7.1 at the end of DATA).</param>
internal sealed record DmarcOutcome(string Result, string FromDomain, string? Policy, string Disposition)
{
    /// <summary>No check was made.</summary>
    public static DmarcOutcome None { get; } = new("none", string.Empty, null, "none");
}
