using Butterfly.Cli.Arguments;
using Butterfly.Server.Configuration;
using Butterfly.Storage;

namespace Butterfly.Cli.Users;

/// <summary>Loads the configuration and opens the data folder's store directly (daemon running or not).</summary>
internal static class StoreAccess
{
    public static readonly OptionSpec Config = OptionSpec.Value("config", "PATH", "the configuration file (default ./butterfly.json when present)");
    public static readonly OptionSpec Data = OptionSpec.Value("data", "DIR", "the data folder (overrides the configuration)");

    public static readonly OptionSpec Domain = OptionSpec.List("domain", "NAME", "a served domain (repeatable; as for serve, replaces the configured list)");

    public static ButterflyOptions LoadOptions(ParsedArguments args)
    {
        var domains = args.Values("domain");
        return ButterflyConfiguration.Load(
            args.Value("config"),
            new ConfigOverrides(DataDirectory: args.Value("data"), Domains: domains.Count > 0 ? domains : null));
    }

    public static Task<MailStore> OpenAsync(ButterflyOptions options, CancellationToken ct) =>
        MailStore.OpenAsync(options.ToStoreOptions(), ct);
}
