using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Server.Configuration;

namespace Butterfly.Cli.ConfigCheck;

/// <summary>
/// <c>butterfly config check [--config PATH] [--json]</c>: loads the configuration as <c>serve</c> does (unknown
/// and mistyped keys, values out of range, the listen addresses, the TLS certificate), names the file and the key
/// of the first problem, and otherwise prints every key with the value in effect (from the file or the default).
/// </summary>
internal static class ConfigCheckCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var check = new Command(
            "check",
            "check butterfly.json as the daemon would, naming the file and key of a problem; print every key's value in effect")
        {
            o.Config, o.Json,
        };
        CliAction.Set(check, context, o, parse => RunAsync(context, parse.GetValue(o.Config), parse.GetValue(o.Json)));
        return new Command("config", "the configuration file (butterfly.json)") { check };
    }

    private static async Task<int> RunAsync(CommandContext context, string? config, bool json)
    {
        var options = ButterflyConfiguration.Load(config, ConfigOverrides.None);
        var file = options.ConfigFile;
        CheckStart(options);
        var values = OptionValues.Of(options);
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                JsonOutput.WriteNullable(w, "file", file);
                w.WriteBoolean("valid", true);
                w.WriteStartObject("values");
                foreach (var value in values)
                {
                    w.WritePropertyName(value.Key);
                    w.WriteRawValue(value.Value);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        await context.Out.WriteLineAsync(file is null
            ? $"no configuration file ({ButterflyConfiguration.DefaultFileName} is not in {Directory.GetCurrentDirectory()}): the defaults are in effect"
            : $"{file}: valid");
        foreach (var value in values)
        {
            await context.Out.WriteLineAsync($"{value.Key} = {value.Value}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>What the daemon checks as it starts, beyond the file itself: the addresses it binds and the TLS certificate it loads.</summary>
    /// <exception cref="ConfigurationException">The problem, naming the key and the file.</exception>
    private static void CheckStart(ButterflyOptions options)
    {
        var where = options.ConfigFile is null ? string.Empty : $" (in {options.ConfigFile})";
        try
        {
            options.ParseListen();
            if (options.Tls.Listen is not null)
            {
                options.Tls.ParseListen();
                options.Tls.LoadCertificate(options.ConfigDirectory).Dispose();
            }
        }
        catch (ConfigurationException ex)
        {
            throw new ConfigurationException(ex.Message + where, ex);
        }
    }
}
