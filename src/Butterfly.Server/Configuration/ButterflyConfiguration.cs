using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Butterfly.Server.Configuration;

/// <summary>Loads <c>butterfly.json</c> and applies command-line overrides.</summary>
public static class ButterflyConfiguration
{
    /// <summary>The file name looked for in the current folder when no path is given.</summary>
    public const string DefaultFileName = "butterfly.json";

    // Set from where the file was found, never from its content.
    private static readonly string[] SetByLoader = [nameof(ButterflyOptions.ConfigDirectory), nameof(ButterflyOptions.ConfigFile)];

    /// <summary>
    /// Loads the options. With no <paramref name="configPath"/>, reads <c>./butterfly.json</c> when it
    /// exists and uses the defaults otherwise.
    /// </summary>
    /// <param name="configPath">The configuration file, or null.</param>
    /// <param name="overrides">Values from the command line.</param>
    /// <exception cref="ConfigurationException">
    /// The file is missing or unreadable, is not JSON (the message gives line and column), has a key no option
    /// matches (the message names it, with its path, and suggests a close one), or holds unusable values.
    /// </exception>
    public static ButterflyOptions Load(string? configPath, ConfigOverrides overrides)
    {
        var options = new ButterflyOptions();
        var path = configPath ?? (File.Exists(DefaultFileName) ? DefaultFileName : null);
        if (path is not null)
        {
            path = Path.GetFullPath(path);
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"Configuration file not found: {path}");
            }

            byte[] json;
            try
            {
                json = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"Cannot read {path}: {ex.Message}", ex);
            }

            // The binder ignores keys it does not know; the check makes a misspelt key an error instead.
            ConfigurationFileChecker.Check(path, json, typeof(ButterflyOptions), SetByLoader);
            try
            {
                using var stream = new MemoryStream(json, writable: false);
                new ConfigurationBuilder().AddJsonStream(stream).Build().Bind(options);
            }
            catch (Exception ex) when (ex is InvalidDataException or JsonException or FormatException or InvalidOperationException)
            {
                throw new ConfigurationException($"Cannot read {path}: {ex.Message}", ex);
            }

            options.ConfigDirectory = Path.GetDirectoryName(path);
            options.ConfigFile = path;
        }

        if (overrides.Listen is not null)
        {
            options.Listen = overrides.Listen;
        }

        if (overrides.DataDirectory is not null)
        {
            // A data folder given on the command line is taken from the current folder, like any path argument.
            options.DataDirectory = Path.GetFullPath(overrides.DataDirectory);
        }

        if (overrides.Domains is { Count: > 0 })
        {
            options.Domains = [.. overrides.Domains];
        }

        if (overrides.MetricsListen is not null)
        {
            options.Metrics.Listen = overrides.MetricsListen;
        }

        if (overrides.WebListen is not null)
        {
            options.Web.Listen = overrides.WebListen;
        }

        overrides.ApplyPeers(options);
        if (options.Domains.Count == 0)
        {
            options.Domains.Add("localhost");
        }

        options.Domains = options.Domains.Select(d => d.Trim().ToLowerInvariant()).Distinct().ToList();
        options.LoadedWith = overrides;
        options.Validate();
        return options;
    }
}
