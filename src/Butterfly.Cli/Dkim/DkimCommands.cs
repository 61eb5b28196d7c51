using System.CommandLine;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Rendering;
using Butterfly.Cli.Users;
using Butterfly.Server.Dkim;

namespace Butterfly.Cli.Dkim;

/// <summary>
/// <c>butterfly dkim keygen|show DOMAIN</c>: the DKIM keys outgoing mail is signed with, in the data folder
/// (<c>dkim/DOMAIN/</c>, mode 0600), and the TXT records to publish. Works on the data folder directly: run it as
/// the user the daemon runs as, so the daemon can read the keys.
/// </summary>
internal static class DkimCommands
{
    public static Command Build(CommandContext context, CommonOptions o) => new("dkim", "DKIM signing keys for outgoing mail, and the DNS records to publish")
    {
        Keygen(context, o),
        Show(context, o),
    };

    /// <summary>Prints the TXT records of <paramref name="keys"/>, one zone-file line each.</summary>
    public static async Task PrintRecordsAsync(TextWriter output, IReadOnlyList<DkimKey> keys)
    {
        foreach (var key in keys)
        {
            await output.WriteLineAsync(key.ZoneLine);
        }
    }

    private static Command Keygen(CommandContext context, CommonOptions o)
    {
        var domain = Domain();
        var command = new Command("keygen", "make the domain's DKIM keys (rsa-sha256 and ed25519-sha256) and print the TXT records to publish") { domain, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => KeygenAsync(context, StoreAccess.Args(parse, o), parse.GetValue(domain)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Command Show(CommandContext context, CommonOptions o)
    {
        var domain = Domain();
        var command = new Command("show", "print the TXT records of the domain's DKIM keys") { domain, o.Json };
        StoreAccess.AddOptions(command, o);
        CliAction.Set(command, context, o, parse => ShowAsync(context, StoreAccess.Args(parse, o), parse.GetValue(domain)!, parse.GetValue(o.Json)));
        return command;
    }

    private static Argument<string> Domain() => new("DOMAIN") { Description = "a domain this server serves", Validators = { Values.NotBlank } };

    private static async Task<int> KeygenAsync(CommandContext context, StoreArgs args, string domain, bool json)
    {
        var options = StoreAccess.LoadOptions(args);
        domain = CheckDomain(domain, options.Domains);
        Directory.CreateDirectory(options.ResolvedDataDirectory);
        var keys = DkimKeyStore.For(options).GetOrCreate(domain, out var created);
        if (!created && !json)
        {
            await context.Error.WriteLineAsync($"{domain} has DKIM keys already; these are their records.");
        }

        return await PrintAsync(context, keys, json, created);
    }

    private static async Task<int> ShowAsync(CommandContext context, StoreArgs args, string domain, bool json)
    {
        var options = StoreAccess.LoadOptions(args);
        domain = CheckDomain(domain, options.Domains);
        var keys = DkimKeyStore.For(options).Find(domain);
        if (keys.Count == 0)
        {
            throw new CliFailure("dkim.no-key", $"{domain} has no DKIM keys yet: butterfly dkim keygen {domain}");
        }

        return await PrintAsync(context, keys, json, created: false);
    }

    private static string CheckDomain(string domain, IReadOnlyList<string> served)
    {
        var found = served.FirstOrDefault(d => string.Equals(d, domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
        return found?.ToLowerInvariant()
            ?? throw new CliFailure("dkim.domain-unknown", $"{domain} is not one of the domains this server serves ({string.Join(", ", served)}).");
    }

    private static async Task<int> PrintAsync(CommandContext context, IReadOnlyList<DkimKey> keys, bool json, bool created)
    {
        if (json)
        {
            await JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("created", created);
                w.WriteStartArray("records");
                foreach (var key in keys)
                {
                    w.WriteStartObject();
                    w.WriteString("name", key.RecordName);
                    w.WriteString("type", "TXT");
                    w.WriteString("value", key.RecordValue);
                    w.WriteString("selector", key.Selector);
                    w.WriteString("algorithm", key.Algorithm == MimeKit.Cryptography.DkimSignatureAlgorithm.Ed25519Sha256 ? "ed25519-sha256" : "rsa-sha256");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        await PrintRecordsAsync(context.Out, keys);
        return ExitCodes.Ok;
    }
}
