namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>One DKIM-Signature's result (RFC 8601 §2.7.1).</summary>
/// <param name="Result"><c>pass</c>, <c>fail</c>, <c>neutral</c>, <c>temperror</c> or <c>permerror</c>.</param>
/// <param name="Domain">The signing domain (<c>d=</c>), lower case; empty when unreadable.</param>
/// <param name="Selector">The selector (<c>s=</c>).</param>
/// <param name="SignaturePrefix">The first characters of <c>b=</c>, to tell signatures apart (RFC 6008).</param>
/// <param name="Reason">Why it did not pass, or null.</param>
internal sealed record DkimResult(string Result, string Domain, string Selector, string SignaturePrefix, string? Reason);
