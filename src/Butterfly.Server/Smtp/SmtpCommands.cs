using SmtpServer;
using SmtpServer.Protocol;

namespace Butterfly.Server.Smtp;

/// <summary>The library's commands, with the EHLO reply the gateway gives.</summary>
internal sealed class SmtpCommands : SmtpCommandFactory
{
    public override SmtpCommand CreateEhlo(string domainOrAddress) => new Ehlo(domainOrAddress);

    /// <summary>
    /// EHLO with the library's extensions (PIPELINING, 8BITMIME, SMTPUTF8, STARTTLS, SIZE) and
    /// ENHANCEDSTATUSCODES, which the guard stream makes true of every reply. No CHUNKING: the
    /// library has no BDAT command and cannot be given one (its commands are internal).
    /// </summary>
    private sealed class Ehlo(string domainOrAddress) : EhloCommand(domainOrAddress)
    {
        protected override string GetGreeting(ISessionContext context) =>
            $"{context.ServerOptions.ServerName} greets {DomainOrAddress}";

        protected override IEnumerable<string> GetExtensions(ISessionContext context) =>
            [.. base.GetExtensions(context), "ENHANCEDSTATUSCODES"];
    }
}
