using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Butterfly.Server.Configuration;
using Butterfly.TestUtilities;
using Microsoft.Extensions.Logging;

namespace Butterfly.Server.Tests.Configuration;

/// <summary>
/// butterfly.json is checked against the options classes before it is bound: a misspelt key, a value of the
/// wrong type or broken JSON is an error that names the file, the place and the key, never a silent default.
/// </summary>
public sealed class ConfigurationLoadTests : IDisposable
{
    private readonly TempDirectory _directory = new("bf-config");

    private string ConfigPath => _directory.Combine("butterfly.json");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_UnknownTopLevelKey_NamesItAndSuggestsTheKnownOne()
    {
        var message = Error("""
            {
              "lisen": "127.0.0.1:0",
              "domains": ["example.org"]
            }
            """);

        Assert.Equal($"{ConfigPath}:2:3: unknown key 'lisen'; did you mean 'listen'?", message);
    }

    [Fact]
    public void Load_UnknownNestedKey_NamesItsFullPath()
    {
        var message = Error("""
            {
              "domains": ["example.org"],
              "limits": { "maxFrameBytes": 65536, "maxConections": 5 }
            }
            """);

        Assert.Equal($"{ConfigPath}:3:39: unknown key 'limits.maxConections'; did you mean 'limits.maxConnections'?", message);
    }

    [Fact]
    public void Load_UnknownKeyInAPeerEntry_NamesTheDomainInThePath()
    {
        var message = Error("""
            {
              "domains": ["a.example"],
              "peers": {
                "b.example": { "adress": "127.0.0.1:7411" }
              }
            }
            """);

        Assert.Equal($"{ConfigPath}:4:20: unknown key 'peers.b.example.adress'; did you mean 'peers.b.example.address'?", message);
    }

    [Fact]
    public void Load_UnknownKeyWithNothingClose_ListsTheKeysKnownThere()
    {
        var message = Error("""{"domains":["a.example"],"peers":{"b.example":{"address":"127.0.0.1:7411","port":7411}}}""");

        Assert.Equal($"{ConfigPath}:1:75: unknown key 'peers.b.example.port' (known here: address, tls, pin, serverName).", message);
    }

    [Fact]
    public void Load_UnknownKeyInAFilterEntry_NamesItsIndex()
    {
        var message = Error("""
            {
              "domains": ["example.org"],
              "filters": [
                { "name": "spam", "stages": ["inbound"] },
                { "name": "lists", "stage": ["inbound"] }
              ]
            }
            """);

        Assert.Equal($"{ConfigPath}:5:24: unknown key 'filters[1].stage'; did you mean 'filters[1].stages'?", message);
    }

    [Fact]
    public void Load_KeyTheLoaderSetsItself_IsUnknown()
    {
        var message = Error("""{"configFile": "/etc/other.json"}""");

        Assert.StartsWith($"{ConfigPath}:1:2: unknown key 'configFile' (known here: listen, dataDirectory, domains,", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameKeyTwiceInDifferentCase_IsAnError()
    {
        var message = Error("""
            {
              "listen": "127.0.0.1:0",
              "Listen": "127.0.0.1:7410"
            }
            """);

        Assert.Equal($"{ConfigPath}:3:3: duplicate key 'Listen' (keys are case-insensitive; first given at 2:3).", message);
    }

    [Theory]
    [InlineData("""{"limits": {"maxConnections": "lots"}}""", "1:31: limits.maxConnections: expected a whole number, got \"lots\".")]
    [InlineData("""{"limits": {"maxConnections": 1.5}}""", "1:31: limits.maxConnections: expected a whole number, got 1.5.")]
    [InlineData("""{"limits": {"maxConnections": 99999999999}}""", "1:31: limits.maxConnections: expected a whole number from -2147483648 to 2147483647, got 99999999999.")]
    [InlineData("""{"registration": {"open": "yes"}}""", "1:27: registration.open: expected true or false, got \"yes\".")]
    [InlineData("""{"domains": "example.org"}""", "1:13: domains: expected an array, got \"example.org\".")]
    [InlineData("""{"domains": ["example.org", 7]}""", "1:29: domains[1]: expected a string, got 7.")]
    [InlineData("""{"listen": 7410}""", "1:12: listen: expected a string, got 7410.")]
    [InlineData("""{"listen": null}""", "1:12: listen: expected a string, got null.")]
    [InlineData("""{"limits": []}""", "1:12: limits: expected an object, got an array.")]
    [InlineData("""{"peers": {"b.example": "127.0.0.1:7411"}}""", "1:25: peers.b.example: expected an object, got \"127.0.0.1:7411\".")]
    [InlineData("""{"queue": {"retrySeconds": [60, "300"]}}""", "1:33: queue.retrySeconds[1]: expected a number, got \"300\".")]
    [InlineData("""{"logging": {"LogLevel": {"Default": "Verbose"}}}""", "1:38: logging.LogLevel.Default: expected one of Trace, Debug, Information, Warning, Error, Critical, None, got \"Verbose\".")]
    [InlineData("""[{"listen": "127.0.0.1:0"}]""", "1:1: expected an object at the top level, got an array.")]
    public void Load_ValueOfTheWrongType_NamesTheKeyAndTheExpectedType(string json, string expected)
    {
        Assert.Equal($"{ConfigPath}:{expected}", Error(json));
    }

    [Theory]
    [InlineData("{\n  \"listen\": \"127.0.0.1:0\",\n  \"domains\": [\"example.org\"]\n  \"limits\": {}\n}", "4:3: '\"' is invalid after a value. Expected either ',', '}', or ']'.")]
    [InlineData("{\n  \"serverName\": \"été\" x\n}", "2:23: 'x' is invalid after a value. Expected either ',', '}', or ']'.")]
    [InlineData("{\n  \"listen\": \"127.0.0.1:0\"\n", "3:1: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [InlineData("{} }", "1:4: '}' is invalid after a single JSON value. Expected end of data.")]
    [InlineData("", "1:1: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true.")]
    public void Load_SyntaxError_GivesLineAndColumn(string json, string expected)
    {
        // Columns count characters, not bytes: "été" is three wide.
        Assert.Equal($"{ConfigPath}:{expected}", Error(json));
    }

    [Fact]
    public void Load_KeysInAnyCase_AreBound()
    {
        var options = Load("""
            {
              "LISTEN": "127.0.0.1:0",
              "Domains": ["example.org"],
              "limits": { "MAXCONNECTIONS": 5 },
              "Peers": { "B.Example": { "Address": "127.0.0.1:7411", "TLS": true } }
            }
            """);

        Assert.Equal("127.0.0.1:0", options.Listen);
        Assert.Equal(5, options.Limits.MaxConnections);
        Assert.True(options.Peers["b.example"].Tls);
    }

    [Fact]
    public void Load_LogLevelCategories_AreAnyNameAndBound()
    {
        var options = Load("""
            {
              "domains": ["example.org"],
              "logging": { "LogLevel": { "Default": "Warning", "Butterfly.Federation": "debug", "Anything.At.All": "None" } }
            }
            """);

        Assert.Equal(LogLevel.Warning, options.Logging.LogLevel["Default"]);
        Assert.Equal(LogLevel.Debug, options.Logging.LogLevel["butterfly.federation"]);
        Assert.Equal(LogLevel.None, options.Logging.LogLevel["Anything.At.All"]);
    }

    [Fact]
    public void Load_CommentsTrailingCommasAndByteOrderMark_AreAccepted()
    {
        // What the configuration system's own JSON reader took before the check existed still loads.
        File.WriteAllText(ConfigPath, """
            {
              // the public name
              "domains": ["example.org",],
              /* the test port */ "listen": "127.0.0.1:0",
            }
            """, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var options = ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);

        Assert.Equal(["example.org"], options.Domains);
        Assert.Equal("127.0.0.1:0", options.Listen);
    }

    [Fact]
    public void Load_NullWhereAnOptionMayBeNull_IsAccepted()
    {
        var options = Load("""{"domains": ["example.org"], "serverName": null, "federation": {"secret": null}, "tls": {"listen": null}}""");

        Assert.Null(options.ServerName);
        Assert.Null(options.Federation.Secret);
        Assert.Null(options.Tls.Listen);
    }

    [Fact]
    public void Load_PasswordIterationsFromOlderFiles_IsStillAccepted()
    {
        var options = Load("""{"domains": ["example.org"], "passwords": {"iterations": 600000}}""");

        Assert.Equal("example.org", options.Domains.Single());
    }

    [Fact]
    public void Load_EveryOptionWrittenOut_IsAcceptedAndReadBackUnchanged()
    {
        // The check follows the options classes: every settable option, written as JSON, is a known key of the right type.
        var original = new ButterflyOptions
        {
            Domains = ["example.org"],
            Peers = { ["b.example"] = new PeerOptions { Address = "127.0.0.1:7411", Tls = true, Pin = "sha256:" + new string('a', 64) } },
            Filters = [new FilterOptions { Name = "spam", Stages = ["inbound"], Claims = ["list@example.org"] }],
            Logging = { LogLevel = { ["Default"] = LogLevel.Debug } },
        };
        original.Dns.Servers.Add("127.0.0.1:53");
        original.Queue.RetrySeconds.Add(30);
        File.WriteAllText(ConfigPath, Written(original));

        var loaded = ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);

        Assert.Equal(Written(original), Written(loaded));
    }

    [Fact]
    public async Task Serve_MisspelledListen_ExitsWithOneLineNamingTheKey()
    {
        File.WriteAllText(ConfigPath, """
            {
              "lisen": "127.0.0.1:0",
              "domains": ["example.org"],
              "passwords": { "allowWeakHashingForTests": true }
            }
            """);

        var result = await CliProcess.RunAsync(["serve", "--config", ConfigPath], workingDirectory: _directory.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: config: {ConfigPath}:2:3: unknown key 'lisen'; did you mean 'listen'?\n", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.False(Directory.Exists(_directory.Combine("data")), "nothing is created when the configuration is refused");
    }

    private static string Written(ButterflyOptions options)
    {
        var json = JsonSerializer.SerializeToNode(options, new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter() },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlySettable } },
        })!.AsObject();

        // Where the file was found is not part of it.
        json.Remove("configDirectory");
        json.Remove("configFile");
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // What the configuration binds: public settable properties (not computed ones such as effectiveRetrySeconds).
    private static void OnlySettable(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(p => p.Set is null).ToList())
        {
            type.Properties.Remove(property);
        }
    }

    private ButterflyOptions Load(string json)
    {
        File.WriteAllText(ConfigPath, json);
        return ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None);
    }

    private string Error(string json)
    {
        File.WriteAllText(ConfigPath, json);
        var error = Assert.Throws<ConfigurationException>(() => ButterflyConfiguration.Load(ConfigPath, ConfigOverrides.None));
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }
}
