using System.Security.Cryptography.X509Certificates;
using Butterfly.Protocol.Tls;
using Butterfly.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Listener;

/// <summary>
/// The TLS listener's certificate, reloaded from its PEM files at each configuration reload (SIGHUP,
/// through <see cref="ConfigurationReloader"/>) and when they change
/// (protocol/peer.md, "TLS"). Kestrel asks for <see cref="Current"/> at every handshake, so a
/// swap reaches new connections at once while open ones keep the session they negotiated. A new
/// certificate that does not load is logged and the one in use kept.
/// </summary>
internal sealed class CertificateReloader : IDisposable
{
    // Renewal tools write the certificate and the key one after the other: wait for the writes
    // to settle rather than load a certificate beside the old key.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly TlsOptions _options;
    private readonly string? _configDirectory;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _settle;
    private readonly Lock _reloadLock = new();
    private X509Certificate2 _current;

    /// <summary>Loads the certificate and starts watching for a new one.</summary>
    /// <param name="options">The tls section.</param>
    /// <param name="configDirectory">The folder relative paths are taken from.</param>
    /// <param name="logger">Where reloads and failures are reported.</param>
    /// <exception cref="ConfigurationException">The certificate or key cannot be loaded at start.</exception>
    public CertificateReloader(TlsOptions options, string? configDirectory, ILogger logger)
    {
        _options = options;
        _configDirectory = configDirectory;
        _logger = logger;
        _current = options.LoadCertificate(configDirectory);
        Describe("TLS certificate", _current);
        _settle = new Timer(_ => Reload("its files changed"));
        if (options.ReloadOnChange)
        {
            try
            {
                Watch();
            }
            catch (IOException ex)
            {
                // inotify instances are limited per user (fs.inotify.max_user_instances): serve without watching.
                _logger.LogWarning("Not watching the TLS certificate's files ({Problem}); SIGHUP reloads it", ex.Message);
            }
        }
    }

    /// <summary>The certificate new connections get.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Loads the files again; on success new connections get the new certificate, on failure the current one stays.</summary>
    /// <param name="reason">Why, for the log.</param>
    /// <returns>True when the new certificate is in use.</returns>
    public bool Reload(string reason)
    {
        lock (_reloadLock)
        {
            X509Certificate2 loaded;
            try
            {
                loaded = _options.LoadCertificate(_configDirectory);
            }
            catch (ConfigurationException ex)
            {
                _logger.LogError("TLS certificate not reloaded ({Reason}); keeping the one in use: {Problem}", reason, ex.Message);
                return false;
            }

            if (loaded.NotAfter.ToUniversalTime() < DateTime.UtcNow)
            {
                _logger.LogError("TLS certificate not reloaded ({Reason}); keeping the one in use: the new one expired on {NotAfter:u}", reason, loaded.NotAfter.ToUniversalTime());
                loaded.Dispose();
                return false;
            }

            // The old certificate is not disposed: a handshake that took it a moment ago may still be using it.
            Volatile.Write(ref _current, loaded);
            Describe($"TLS certificate reloaded ({reason})", loaded);
            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _settle.Dispose();
    }

    private void Describe(string what, X509Certificate2 certificate) =>
        _logger.LogInformation(
            "{What}: {Subject}, {Pin}, valid until {NotAfter:u}",
            what,
            certificate.Subject,
            CertificatePin.Of(certificate, CertificatePinKind.Certificate),
            certificate.NotAfter.ToUniversalTime());

    private void Watch()
    {
        var baseDirectory = _configDirectory ?? Directory.GetCurrentDirectory();
        var files = new[] { _options.Certificate, _options.Key }
            .Select(f => Path.GetFullPath(f, baseDirectory))
            .ToArray();
        foreach (var folder in files.GroupBy(f => Path.GetDirectoryName(f)!))
        {
            var names = folder.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var watcher = new FileSystemWatcher(folder.Key)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };

            // Renames count: tools replace files by writing a new one and renaming it over the old
            // (certbot swaps symbolic links the same way).
            FileSystemEventHandler changed = (_, e) =>
            {
                if (names.Contains(e.Name ?? string.Empty))
                {
                    _settle.Change(Settle, Timeout.InfiniteTimeSpan);
                }
            };
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Renamed += (_, e) =>
            {
                if (names.Contains(e.Name ?? string.Empty) || names.Contains(e.OldName ?? string.Empty))
                {
                    _settle.Change(Settle, Timeout.InfiniteTimeSpan);
                }
            };
            watcher.Error += (_, e) => _logger.LogWarning(e.GetException(), "Watching {Folder} for a new TLS certificate failed; SIGHUP still reloads it", folder.Key);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }
}
