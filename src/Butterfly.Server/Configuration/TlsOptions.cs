using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Butterfly.Server.Configuration;

/// <summary>The tls section of <c>butterfly.json</c>: a second listener that speaks TLS (protocol/peer.md, "TLS").</summary>
public sealed class TlsOptions
{
    /// <summary>HOST:PORT of the TLS listener; null (the default) means no TLS listener. <c>listen</c> stays plain.</summary>
    public string? Listen { get; set; }

    /// <summary>The certificate, PEM; relative paths are taken from the config file's folder.</summary>
    public string Certificate { get; set; } = "cert.pem";

    /// <summary>The private key of the certificate, PEM.</summary>
    public string Key { get; set; } = "key.pem";

    /// <summary>
    /// Whether a change to the certificate or key file reloads them (new connections get the new
    /// certificate; open ones keep theirs). Default true. SIGHUP reloads them either way.
    /// </summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>What is wrong with these options, one sentence per problem; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (Listen is not null && !ButterflyOptions.TryParseEndPoint(Listen, out _))
        {
            yield return $"tls.listen: '{Listen}' is not HOST:PORT (an IP address and a port).";
        }
    }

    /// <summary>Parses <see cref="Listen"/>.</summary>
    public IPEndPoint ParseListen()
    {
        if (!ButterflyOptions.TryParseEndPoint(Listen, out var endpoint))
        {
            throw new ConfigurationException($"tls.listen: '{Listen}' is not HOST:PORT.");
        }

        return endpoint;
    }

    /// <summary>Loads the certificate and key (PEM).</summary>
    /// <param name="configDirectory">The folder relative paths are taken from.</param>
    /// <exception cref="ConfigurationException">A file is missing or unreadable.</exception>
    public X509Certificate2 LoadCertificate(string? configDirectory)
    {
        var baseDirectory = configDirectory ?? Directory.GetCurrentDirectory();
        var certificate = Path.GetFullPath(Certificate, baseDirectory);
        var key = Path.GetFullPath(Key, baseDirectory);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ConfigurationException($"tls: cannot load {certificate} with key {key}: {ex.Message}", ex);
        }
    }
}
