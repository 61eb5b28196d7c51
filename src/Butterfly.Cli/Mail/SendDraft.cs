namespace Butterfly.Cli.Mail;

/// <summary>What <c>send</c>'s options say to send.</summary>
/// <param name="To">--to addresses.</param>
/// <param name="Cc">--cc addresses.</param>
/// <param name="Bcc">--bcc addresses.</param>
/// <param name="Subject">--subject, or null.</param>
/// <param name="Body">--body (- for stdin), or null.</param>
/// <param name="File">--file (- for stdin), or null.</param>
internal sealed record SendDraft(string[] To, string[] Cc, string[] Bcc, string? Subject, string? Body, string? File);
