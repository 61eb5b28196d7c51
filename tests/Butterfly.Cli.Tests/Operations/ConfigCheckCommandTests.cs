using System.Text.Json;
using Butterfly.TestUtilities;
using Xunit;

namespace Butterfly.Cli.Tests.Operations;

/// <summary><c>butterfly config check</c>: the daemon's checks, with the file and the key named.</summary>
public sealed class ConfigCheckCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new("butterfly-config-check");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Check_ValidFile_PrintsEveryKeyWithItsValueInEffect()
    {
        var path = Write("""{ "domains": ["example.org"], "limits": { "maxRecipients": 7 } }""");

        var text = await new CliHarness().RunAsync("config", "check", "--config", path);
        var json = await new CliHarness().RunAsync("config", "check", "--config", path, "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"{path}: valid", text.Out, StringComparison.Ordinal);
        Assert.Contains("limits.maxRecipients = 7", text.Out, StringComparison.Ordinal);
        Assert.Contains("limits.maxHops = 25", text.Out, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        var values = JsonDocument.Parse(json.Out).RootElement.GetProperty("values");
        Assert.Equal(7, values.GetProperty("limits.maxRecipients").GetInt32());
        Assert.Equal("example.org", values.GetProperty("domains[0]").GetString());
        Assert.Equal("127.0.0.1:7410", values.GetProperty("listen").GetString());
    }

    [Fact]
    public async Task Check_UnknownKey_NamesTheFileTheLineAndTheKey()
    {
        var path = Write("""
            {
              "limits": { "maxRecipient": 7 }
            }
            """);

        var run = await new CliHarness().RunAsync("config", "check", "--config", path);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: config: {path}:2:15: unknown key 'limits.maxRecipient'; did you mean 'limits.maxRecipients'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ValueOutOfRange_NamesTheFileAndTheKey()
    {
        var path = Write("""{ "limits": { "maxJsonDepth": 1 } }""");

        var run = await new CliHarness().RunAsync("config", "check", "--config", path, "--json");

        Assert.True(run.ExitCode == 1, run.Error);
        var error = JsonDocument.Parse(run.Error).RootElement.GetProperty("error");
        Assert.Equal("config", error.GetProperty("code").GetString());
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("limits.maxJsonDepth", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_TlsCertificateMissing_NamesTheKeyAndTheFile()
    {
        var path = Write("""{ "tls": { "listen": "127.0.0.1:0", "certificate": "nothing.pem", "key": "nothing.key" } }""");

        var run = await new CliHarness().RunAsync("config", "check", "--config", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("tls: cannot load", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing.pem", run.Error, StringComparison.Ordinal);
        Assert.Contains($"(in {path})", run.Error, StringComparison.Ordinal);
    }

    private string Write(string json)
    {
        var path = _directory.Combine("butterfly.json");
        File.WriteAllText(path, json);
        return path;
    }
}
