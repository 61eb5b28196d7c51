using System.Text.Json;
using Butterfly.Server.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using Xunit;

namespace Butterfly.Cli.Tests.Dkim;

/// <summary><c>butterfly dkim keygen|show</c> and <c>butterfly quickstart</c> on real folders, no daemon.</summary>
public sealed class DkimCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "butterfly-dkim-" + Guid.NewGuid().ToString("N"));
    private readonly string _config;

    public DkimCommandTests()
    {
        Directory.CreateDirectory(_directory);
        _config = Path.Combine(_directory, "butterfly.json");
        File.WriteAllText(_config, """{ "dataDirectory": "data", "domains": ["example.org"] }""");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Keygen_NewDomain_WritesPrivateKeysAndPrintsTheirRecords()
    {
        var run = await new CliHarness().RunAsync("dkim", "keygen", "example.org", "--config", _config);

        Assert.Equal(0, run.ExitCode);
        var folder = Path.Combine(_directory, "data", "dkim", "example.org");
        foreach (var file in Directory.GetFiles(folder))
        {
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        Assert.Equal(2, Directory.GetFiles(folder).Length);
        var lines = run.Out.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("butterfly-rsa._domainkey.example.org. IN TXT ( \"v=DKIM1; k=rsa; p=", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("butterfly-ed25519._domainkey.example.org. IN TXT ( \"v=DKIM1; k=ed25519; p=", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_Twice_KeepsTheFirstKeys()
    {
        var first = await new CliHarness().RunAsync("dkim", "keygen", "example.org", "--config", _config, "--json");
        var second = await new CliHarness().RunAsync("dkim", "keygen", "example.org", "--config", _config, "--json");
        var show = await new CliHarness().RunAsync("dkim", "show", "example.org", "--config", _config, "--json");

        Assert.True(JsonDocument.Parse(first.Out).RootElement.GetProperty("created").GetBoolean());
        Assert.False(JsonDocument.Parse(second.Out).RootElement.GetProperty("created").GetBoolean());
        Assert.Equal(Records(first.Out), Records(second.Out));
        Assert.Equal(Records(first.Out), Records(show.Out));
    }

    [Fact]
    public async Task Show_NoKeys_FailsWithTheCommandToRun()
    {
        var run = await new CliHarness().RunAsync("dkim", "show", "example.org", "--config", _config);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: dkim.no-key: example.org has no DKIM keys yet: butterfly dkim keygen example.org", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_DomainNotServed_Fails()
    {
        var run = await new CliHarness().RunAsync("dkim", "keygen", "other.example", "--config", _config);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: dkim.domain-unknown: ", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "data", "dkim", "other.example")));
    }

    [Fact]
    public async Task Keygen_PrintedRecords_VerifyASignatureMadeWithTheKeys()
    {
        var run = await new CliHarness().RunAsync("dkim", "keygen", "example.org", "--config", _config, "--json");
        var published = JsonDocument.Parse(run.Out).RootElement.GetProperty("records").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("value").GetString()!);
        var keys = new DkimKeyStore(Path.Combine(_directory, "data")).Find("example.org");
        using var message = new MimeMessage(
            [new MailboxAddress("Alice", "alice@example.org")], [new MailboxAddress("Bob", "bob@b.example")], "Signed", new TextPart("plain") { Text = "Hello\n" });

        foreach (var key in keys)
        {
            var signer = new DkimSigner(key.PrivateKey, key.Domain, key.Selector, key.Algorithm);
            signer.Sign(message, [HeaderId.From, HeaderId.Subject]);
        }

        var verifier = new DkimVerifier(new RecordLocator(published));
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        Assert.Equal(2, signatures.Count);
        foreach (var signature in signatures)
        {
            Assert.True(verifier.Verify(message, signature), signature.Value);
        }
    }

    [Fact]
    public async Task Quickstart_NewFolder_WritesConfigAccountKeysAndPrintsEveryRecord()
    {
        var folder = Path.Combine(_directory, "new");
        var run = await new CliHarness { Stdin = "a-long-password\n" }.RunAsync(
            "quickstart", "Example.net", "--dir", folder, "--user", "alice", "--ip", "192.0.2.7", "--password-stdin");

        Assert.True(run.ExitCode == 0, run.Error);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "butterfly.json"))).RootElement;
        Assert.Equal("example.net", config.GetProperty("domains")[0].GetString());
        Assert.Equal("mail.example.net", config.GetProperty("serverName").GetString());
        var output = run.Out.ReplaceLineEndings("\n");
        Assert.Contains("created alice@example.net\n", output, StringComparison.Ordinal);
        Assert.Contains("example.net. IN MX 10 mail.example.net.\n", output, StringComparison.Ordinal);
        Assert.Contains("_butterfly._tcp.example.net. IN SRV 0 0 7410 mail.example.net.\n", output, StringComparison.Ordinal);
        Assert.Contains("example.net. IN TXT \"v=spf1 mx -all\"\n", output, StringComparison.Ordinal);
        Assert.Contains("butterfly-rsa._domainkey.example.net. IN TXT ( \"v=DKIM1; k=rsa; p=", output, StringComparison.Ordinal);
        Assert.Contains("butterfly-ed25519._domainkey.example.net. IN TXT ( \"v=DKIM1; k=ed25519; p=", output, StringComparison.Ordinal);
        Assert.Contains("_dmarc.example.net. IN TXT \"v=DMARC1; p=none; rua=mailto:postmaster@example.net\"\n", output, StringComparison.Ordinal);
        Assert.Contains("mail.example.net. IN A 192.0.2.7\n", output, StringComparison.Ordinal);

        // The account is there, and the keys are the ones dkim show prints.
        var users = await new CliHarness().RunAsync("user", "list", "--config", Path.Combine(folder, "butterfly.json"), "--json");
        Assert.Equal("alice@example.net", JsonDocument.Parse(users.Out).RootElement[0].GetProperty("address").GetString());
        var show = await new CliHarness().RunAsync("dkim", "show", "example.net", "--config", Path.Combine(folder, "butterfly.json"));
        foreach (var line in show.Out.ReplaceLineEndings("\n").TrimEnd().Split('\n'))
        {
            Assert.Contains(line + "\n", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Quickstart_ConfigExists_ChangesNothing()
    {
        var before = File.ReadAllText(_config);
        var run = await new CliHarness { Stdin = "a-long-password\n" }.RunAsync("quickstart", "example.org", "--dir", _directory, "--password-stdin");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: config.exists: ", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(_config));
        Assert.False(Directory.Exists(Path.Combine(_directory, "data")));
    }

    private static List<string> Records(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("value").GetString()!)];

    private sealed class RecordLocator(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(records[$"{selector}._domainkey.{domain}"]);

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
