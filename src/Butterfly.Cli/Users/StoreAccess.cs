using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Operator;
using Butterfly.Server.Configuration;

namespace Butterfly.Cli.Users;

/// <summary>Loads the configuration and reaches the data folder: through its daemon, or directly when none runs.</summary>
internal static class StoreAccess
{
    /// <summary>Adds --config and --data to <paramref name="command"/>.</summary>
    public static void AddOptions(Command command, CommonOptions o)
    {
        command.Options.Add(o.Config);
        command.Options.Add(o.Data);
    }

    /// <summary>A --domain option, as <c>serve</c> and <c>user add</c> take it.</summary>
    public static Option<string[]> DomainOption(string description) => new("--domain")
    {
        Description = description,
        HelpName = "NAME",
        DefaultValueFactory = _ => [],
        Validators = { Values.NotBlank },
    };

    /// <summary>What --config and --data say (no --domain).</summary>
    public static StoreArgs Args(ParseResult parse, CommonOptions o) => new(parse.GetValue(o.Config), parse.GetValue(o.Data), []);

    /// <exception cref="ConfigurationException">The configuration cannot be read.</exception>
    public static ButterflyOptions LoadOptions(StoreArgs args) =>
        ButterflyConfiguration.Load(
            args.Config,
            new ConfigOverrides(DataDirectory: args.Data, Domains: args.Domains.Count > 0 ? args.Domains : null));

    /// <summary>
    /// Reaches the data folder for an operator command: through the daemon that holds it, or
    /// directly when none does (<see cref="OperatorChannel"/>). The folder is created when missing.
    /// </summary>
    public static Task<OperatorChannel> OpenOrCreateAsync(ButterflyOptions options, CancellationToken ct) =>
        OperatorChannel.OpenAsync(options, ct);

    /// <summary>As <see cref="OpenOrCreateAsync"/>, for a data folder that must exist already.</summary>
    /// <exception cref="CliFailure"><c>data.not-found</c>: a mistyped --data must not leave an empty database behind.</exception>
    public static Task<OperatorChannel> OpenExistingAsync(StoreArgs args, ButterflyOptions options, CancellationToken ct)
    {
        var path = options.ResolvedDataDirectory;
        if (!Directory.Exists(path))
        {
            var source = args.Data is not null ? "given by --data"
                : options.ConfigFile is not null ? $"dataDirectory in {options.ConfigFile}"
                : "the default, ./data";
            throw new CliFailure(
                "data.not-found",
                $"No data folder {path} ({source}). 'butterfly serve' and 'butterfly user add' create it.");
        }

        return OperatorChannel.OpenAsync(options, ct);
    }
}
