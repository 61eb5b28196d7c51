using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Butterfly.Cli.Commands;
using Butterfly.Cli.Dkim;
using Butterfly.Cli.Operator;
using Butterfly.Server.Configuration;
using Butterfly.Server.Control;
using Butterfly.Server.Dkim;
using Names = Butterfly.Server.Control.ControlCommandNames;

namespace Butterfly.Cli.Quickstart;

/// <summary>
/// <c>butterfly quickstart DOMAIN</c>: a new server in one step: writes <c>butterfly.json</c>, creates the first
/// account, makes the DKIM keys, and prints the DNS records to publish (MX, SRV, SPF, DKIM, DMARC).
/// </summary>
internal static class QuickstartCommand
{
    public static Command Build(CommandContext context, CommonOptions o)
    {
        var domain = new Argument<string>("DOMAIN") { Description = "the mail domain this server will serve, e.g. example.org", Validators = { Values.NotBlank } };
        var folder = new Option<string>("--dir") { Description = "where butterfly.json and the data folder go (default: the current folder)", DefaultValueFactory = _ => "." };
        var user = new Option<string>("--user") { Description = "the first account's local part (default: postmaster)", DefaultValueFactory = _ => "postmaster" };
        var host = new Option<string?>("--host") { Description = "the server's host name (default: mail.DOMAIN)" };
        var address = new Option<string?>("--ip") { Description = "the server's public IP address, for the A or AAAA record" };
        var command = new Command("quickstart", "set up a new server: write butterfly.json, create the first account, make DKIM keys, print the DNS records to publish")
        {
            domain, folder, user, host, address, o.PasswordStdin, o.Json,
        };
        CliAction.Set(command, context, o, parse => RunAsync(
            context,
            parse.GetValue(domain)!.Trim().TrimEnd('.').ToLowerInvariant(),
            parse.GetValue(folder)!,
            parse.GetValue(user)!,
            parse.GetValue(host),
            parse.GetValue(address),
            parse.GetValue(o.PasswordStdin),
            parse.GetValue(o.Json)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string domain, string folder, string user, string? host, string? ip, bool passwordStdin, bool json)
    {
        if (Uri.CheckHostName(domain) != UriHostNameType.Dns || !domain.Contains('.', StringComparison.Ordinal))
        {
            throw new UsageException($"'{domain}' is not a domain name (e.g. example.org).");
        }

        if (ip is not null && !System.Net.IPAddress.TryParse(ip, out _))
        {
            throw new UsageException($"--ip: '{ip}' is not an IP address.");
        }

        host = (host ?? $"mail.{domain}").TrimEnd('.').ToLowerInvariant();
        var directory = Path.GetFullPath(folder);
        var configPath = Path.Combine(directory, ButterflyConfiguration.DefaultFileName);
        if (File.Exists(configPath))
        {
            throw new CliFailure("config.exists", $"{configPath} exists already; quickstart writes a new configuration and leaves an existing one alone.");
        }

        if (!AccountRules.TryCheckAddress($"{user}@{domain}", [domain], out var address, out var problem))
        {
            throw new UsageException(problem);
        }

        // The password first: nothing is written when it is not given.
        var password = await PasswordReader.ReadAsync(context, new PasswordSource(passwordStdin), $"Password for {address}: ", confirm: true);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(configPath, Configuration(domain, host), context.CancellationToken);
        var options = ButterflyConfiguration.Load(configPath, ConfigOverrides.None);
        await using (var channel = await OperatorChannel.OpenAsync(options, context.CancellationToken))
        {
            await channel.CallAsync(Names.UserAdd, w =>
            {
                w.WriteString("address"u8, address);
                w.WriteString("password"u8, password);
            }, context.CancellationToken);
        }

        var keys = DkimKeyStore.For(options).GetOrCreate(domain, out _);
        var records = Records(domain, host, ip, keys);
        if (json)
        {
            await Rendering.JsonOutput.WriteAsync(context.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("config", configPath);
                w.WriteString("account", address);
                w.WriteStartArray("records");
                foreach (var (name, type, value) in records)
                {
                    w.WriteStartObject();
                    w.WriteString("name", name);
                    w.WriteString("type", type);
                    w.WriteString("value", value);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        var output = context.Out;
        await output.WriteLineAsync($"wrote {configPath}");
        await output.WriteLineAsync($"created {address}");
        await output.WriteLineAsync($"made DKIM keys for {domain} in {Path.Combine(options.ResolvedDataDirectory, "dkim", domain)}");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Publish these DNS records (zone-file form; {host} must point at this server):");
        foreach (var (name, type, value) in records.Where(r => r.Type != "TXT" || !r.Name.Contains("._domainkey.", StringComparison.Ordinal)))
        {
            await output.WriteLineAsync($"{name}. IN {type} {value}");
        }

        await DkimCommands.PrintRecordsAsync(output, keys);
        if (ip is null)
        {
            await output.WriteLineAsync($"; and {host}. IN A (or AAAA) with this server's public address (--ip prints it)");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Start the server: butterfly serve --config {configPath}");
        return ExitCodes.Ok;
    }

    private static string Configuration(string domain, string host)
    {
        var config = new JsonObject
        {
            ["domains"] = new JsonArray(domain),
            ["serverName"] = host,

            // Peers find the server through the SRV record below, on Butterfly's port.
            ["listen"] = $"0.0.0.0:{FederationOptions.DefaultPort}",
            ["dataDirectory"] = "data",
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static List<(string Name, string Type, string Value)> Records(string domain, string host, string? ip, IReadOnlyList<DkimKey> keys)
    {
        var records = new List<(string, string, string)>
        {
            // RFC 5321 §5.1: where SMTP mail for the domain goes.
            (domain, "MX", $"10 {host}."),

            // protocol/peer.md, "Discovery": where Butterfly servers find this one.
            ($"_butterfly._tcp.{domain}", "SRV", $"0 0 {FederationOptions.DefaultPort} {host}."),

            // RFC 7208: only the domain's MX hosts send its mail.
            (domain, "TXT", "\"v=spf1 mx -all\""),
        };
        records.AddRange(keys.Select(k => (k.RecordName, "TXT", $"\"{k.RecordValue}\"")));

        // RFC 7489: start by watching (p=none) and tighten to quarantine or reject once reports look right.
        records.Add(($"_dmarc.{domain}", "TXT", $"\"v=DMARC1; p=none; rua=mailto:postmaster@{domain}\""));
        if (ip is not null)
        {
            records.Add((host, System.Net.IPAddress.Parse(ip).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "AAAA" : "A", ip));
        }

        return records;
    }
}
