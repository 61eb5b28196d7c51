namespace Butterfly.Server.Configuration;

/// <summary>The <c>smtp.smarthost</c> relay: every message for a domain without a Butterfly server goes there, over TLS.</summary>
public sealed class SmarthostOptions
{
    /// <summary>The relay's host name or IP address.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The port. Default 587 (submission with STARTTLS); 465 speaks TLS from the start.</summary>
    public int Port { get; set; } = 587;

    /// <summary>The AUTH user name; null to send without AUTH.</summary>
    public string? Username { get; set; }

    /// <summary>A file holding the AUTH password (one line); relative paths are taken from the config file's folder.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// The SHA-256 of the relay's certificate (or <c>spki-sha256:</c> of its key), as for <c>peers</c>: exactly that
    /// certificate is accepted. Without it the chain and the name <see cref="Host"/> are checked.
    /// </summary>
    public string? Pin { get; set; }

    /// <summary>The pin, read; null when none is set or it is malformed (which validation reports).</summary>
    public Protocol.Tls.CertificatePin? ParsedPin => Protocol.Tls.CertificatePin.TryParse(Pin, out var pin) ? pin : null;

    /// <summary>The problems with these keys, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "smtp.smarthost.host: a host is needed.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"smtp.smarthost.port: {Port} is not a port.";
        }

        if (Username is not null && string.IsNullOrWhiteSpace(PasswordFile))
        {
            yield return "smtp.smarthost.passwordFile: a username is set, so a password file is needed.";
        }

        if (!string.IsNullOrWhiteSpace(Pin) && ParsedPin is null)
        {
            yield return $"smtp.smarthost.pin: '{Pin}' is not a SHA-256 pin.";
        }
    }
}
