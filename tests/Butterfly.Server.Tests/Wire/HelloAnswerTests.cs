using System.Text.Json;
using Butterfly.Protocol;
using Butterfly.Protocol.Errors;
using Butterfly.Server.Configuration;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Tests.Wire;

/// <summary>The one hello reply, which the client port and the filter socket both answer with.</summary>
public sealed class HelloAnswerTests
{
    private static readonly ButterflyOptions Options = new()
    {
        Domains = ["example.org", "example.net"],
        ServerName = "mx.example.org",
        Limits = { MaxFrameBytes = 300_000, MaxMessageBytes = 200_000, MaxHeadBytes = 4096, MaxRecipients = 5, MaxInFlight = 7, MaxHops = 9 },
    };

    [Fact]
    public void Answer_Version1_NamesServerDomainsCapabilitiesAndEveryLimit()
    {
        var reply = HelloAnswer.Answer(Head("""{"cmd":"hello","version":1}"""), Options, ["send", "store"], "c0ffee");

        Assert.Equal(ErrorCode.None, reply.Error);
        var json = JsonDocument.Parse(reply.Head).RootElement;
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(1, json.GetProperty("version").GetInt32());
        Assert.Equal($"butterfly/{ButterflyVersion.Current} mx.example.org", json.GetProperty("server").GetString());
        Assert.Equal(["example.org", "example.net"], json.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["send", "store"], json.GetProperty("capabilities").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("c0ffee", json.GetProperty("connection").GetString());
        var limits = json.GetProperty("limits");
        Assert.Equal(
            [("maxFrameBytes", 300_000), ("maxMessageBytes", 200_000), ("maxHeadBytes", 4096), ("maxRecipients", 5), ("maxInFlight", 7), ("maxHops", 9)],
            limits.EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
    }

    [Fact]
    public void Answer_NoConnectionIdNoVersion_NoConnectionField()
    {
        var reply = HelloAnswer.Answer(Head("""{"cmd":"hello"}"""), Options, ["filter"], connectionId: null);

        var json = JsonDocument.Parse(reply.Head).RootElement;
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.False(json.TryGetProperty("connection", out _));
        Assert.Equal("filter", Assert.Single(json.GetProperty("capabilities").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("""{"cmd":"hello","version":2}""", ErrorCode.HelloVersionUnsupported)]
    [InlineData("""{"cmd":"hello","version":0}""", ErrorCode.HelloVersionUnsupported)]
    [InlineData("""{"cmd":"hello","version":"1"}""", ErrorCode.RequestInvalid)]
    [InlineData("""{"cmd":"hello","version":1.5}""", ErrorCode.RequestInvalid)]
    [InlineData("""{"cmd":"hello","version":-1}""", ErrorCode.RequestInvalid)]
    public void Answer_VersionNotSpoken_Refused(string head, ErrorCode expected)
    {
        var reply = HelloAnswer.Answer(Head(head), Options, ["send"], "c0ffee");

        Assert.Equal(expected, reply.Error);
        Assert.False(JsonDocument.Parse(reply.Head).RootElement.GetProperty("ok").GetBoolean());
    }

    private static JsonElement Head(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
