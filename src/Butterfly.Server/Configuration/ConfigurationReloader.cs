using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Configuration;

/// <summary>
/// The one reload point of a running daemon (SIGHUP, <c>systemctl reload</c>): reads the configuration file
/// again with the command line's overrides, validates all of it as a start would (a bad file is logged and
/// changes nothing), applies the changed keys of the <see cref="ReloadableSections"/> to the live options,
/// then tells <see cref="Reloaded"/> (the TLS certificate, the session limits, the login penalties). Keys that
/// changed elsewhere keep their values and are logged as needing a restart.
/// </summary>
public sealed class ConfigurationReloader
{
    private readonly ButterflyOptions _live;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    /// <summary>Reloads into <paramref name="live"/>, the options the daemon runs with.</summary>
    /// <param name="live">The running daemon's options (the same instance its services read).</param>
    /// <param name="logger">Where each reload is reported.</param>
    public ConfigurationReloader(ButterflyOptions live, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(logger);
        _live = live;
        _logger = logger;
    }

    /// <summary>
    /// Raised after every reload that read a valid file, changed keys or not (the certificate files are read again
    /// even when their paths did not change), with the live options; on the thread that reloads.
    /// </summary>
    public event Action<ButterflyOptions>? Reloaded;

    /// <summary>Reads the file again and applies what may change.</summary>
    /// <param name="reason">Why (<c>SIGHUP</c>), for the log.</param>
    public ReloadOutcome Reload(string reason)
    {
        lock (_lock)
        {
            var outcome = Apply(reason);
            if (outcome.Loaded)
            {
                Reloaded?.Invoke(_live);
            }

            return outcome;
        }
    }

    private ReloadOutcome Apply(string reason)
    {
        if (_live.ConfigFile is null)
        {
            _logger.LogInformation("Configuration not reloaded ({Reason}): the daemon was started without a configuration file", reason);
            return new ReloadOutcome(null, [], []);
        }

        ButterflyOptions fresh;
        try
        {
            fresh = ButterflyConfiguration.Load(_live.ConfigFile, _live.LoadedWith);
        }
        catch (ConfigurationException ex)
        {
            _logger.LogError("Configuration not reloaded ({Reason}); nothing changed: {Problem}", reason, ex.Message.ReplaceLineEndings(" "));
            return new ReloadOutcome(ex.Message, [], []);
        }

        var before = OptionValues.Of(_live).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var after = OptionValues.Of(fresh).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var changed = before.Keys.Union(after.Keys)
            .Where(k => !before.TryGetValue(k, out var old) || !after.TryGetValue(k, out var now) || old != now)
            .ToList();
        var applied = new List<string>();
        var restart = new List<string>();
        foreach (var key in changed)
        {
            var section = SectionOf(key);
            if (section is not null && section.Unchangeable?.Invoke(_live, fresh) != true && section.NeedsRestart?.Invoke(key) != true)
            {
                applied.Add(key);
            }
            else
            {
                restart.Add(key);
            }
        }

        foreach (var section in ReloadableSections.All)
        {
            if (applied.Any(k => SectionOf(k) == section))
            {
                section.Apply(_live, fresh);
            }
        }

        if (changed.Count == 0)
        {
            _logger.LogInformation("Configuration reloaded ({Reason}) from {File}: no key changed", reason, _live.ConfigFile);
        }
        else
        {
            _logger.LogInformation(
                "Configuration reloaded ({Reason}) from {File}: applied {Applied}; needs a restart: {Restart}",
                reason,
                _live.ConfigFile,
                Describe(applied, before, after),
                Describe(restart, before, after));
        }

        return new ReloadOutcome(null, applied, restart);
    }

    private static ReloadableSection? SectionOf(string key)
    {
        var end = key.IndexOfAny(['.', '[']);
        var name = end < 0 ? key : key[..end];
        return ReloadableSections.All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static string Describe(List<string> keys, Dictionary<string, string> before, Dictionary<string, string> after) =>
        keys.Count == 0
            ? "nothing"
            : string.Join(", ", keys.Select(k => $"{k} {before.GetValueOrDefault(k, "(none)")} -> {after.GetValueOrDefault(k, "(none)")}"));
}
