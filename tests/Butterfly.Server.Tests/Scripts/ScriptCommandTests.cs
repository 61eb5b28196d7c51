using System.Text.Json.Nodes;
using Butterfly.TestUtilities;
using static Butterfly.Server.Tests.Scripts.ScriptNetwork;

namespace Butterfly.Server.Tests.Scripts;

/// <summary>The owner's script commands and the operator's allow list, against a real daemon.</summary>
public sealed class ScriptCommandTests
{
    private const string Echo = """
        export function onMessage(message, ctx) {
          ctx.state.count = (ctx.state.count || 0) + 1;
          ctx.send({ to: "carol@a.example", subject: "seen: " + message.subject, text: message.text });
        }
        """;

    [Fact]
    public async Task Put_SyntaxError_AnswersLineAndColumnAndKeepsTheOldScript()
    {
        using var directory = new TempDirectory("butterfly-script-put");
        await using var network = await StartAsync(directory, domains: [A]);
        await AllowAsync(network, "echo@a.example");
        await using var alice = await LoginAsync(network[A], Alice);
        var stored = await PutAsync(alice, "echo@a.example", Echo);
        Assert.Equal(1, stored.GetProperty("version").GetInt64());
        Assert.True(stored.GetProperty("onMessage").GetBoolean());

        var broken = await RequestAsync(alice, new JsonObject { ["cmd"] = "script.put", ["address"] = "echo@a.example" }, "function onMessage(m, ctx) {\n  let x = ;\n}");
        Assert.False(broken.Ok);
        Assert.Equal("script.syntax", broken.Code);
        Assert.Equal(2, broken.Head.GetProperty("line").GetInt32());
        Assert.True(broken.Head.GetProperty("column").GetInt32() > 0);
        Assert.Contains("line 2", broken.Message, StringComparison.Ordinal);

        var kept = await RequestAsync(alice, new JsonObject { ["cmd"] = "script.get", ["address"] = "echo@a.example" });
        Assert.True(kept.Ok);
        Assert.Equal(Echo, kept.Head.GetProperty("source").GetString());
        Assert.Equal(1, kept.Head.GetProperty("version").GetInt64());

        // The script works: mail to the address goes to it, its send reaches carol, its state counts.
        await SendAsync(alice, "hello", "body", "echo@a.example");
        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("seen: hello"), "carol has the script's message");
        Assert.Equal(1, (await StateAsync(alice, "echo@a.example")).GetProperty("count").GetInt32());
        var run = Assert.Single(await RunsAsync(alice, "echo@a.example"));
        Assert.Equal(("message", "completed", true), (run.GetProperty("trigger").GetString(), run.GetProperty("outcome").GetString(), run.GetProperty("committed").GetBoolean()));
        Assert.Equal("send", run.GetProperty("effects")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Commands_AnotherAccount_IsNotAllowedToTouchTheScript()
    {
        using var directory = new TempDirectory("butterfly-script-auth");
        await using var network = await StartAsync(directory, domains: [A]);
        await ScriptAsync(network, "echo@a.example", Echo);
        await using var carol = await LoginAsync(network[A], Carol);
        foreach (var cmd in new[] { "script.get", "script.delete", "script.logs", "script.state", "script.test" })
        {
            var reply = await RequestAsync(carol, new JsonObject { ["cmd"] = cmd, ["address"] = "echo@a.example" }, cmd == "script.test" ? "Subject: x\r\n\r\nx\r\n" : null);
            Assert.Equal("script.not-allowed", reply.Code);
        }

        var put = await RequestAsync(carol, new JsonObject { ["cmd"] = "script.put", ["address"] = "echo@a.example" }, "function onMessage(m, ctx) {}");
        Assert.Equal("script.not-allowed", put.Code);
        var set = await RequestAsync(carol, new JsonObject { ["cmd"] = "script.state", ["address"] = "echo@a.example", ["set"] = new JsonObject() });
        Assert.Equal("script.not-allowed", set.Code);
        var unknown = await RequestAsync(carol, new JsonObject { ["cmd"] = "script.put", ["address"] = "nobody@a.example" }, "function onMessage(m, ctx) {}");
        Assert.Equal("script.not-allowed", unknown.Code);
        var list = await RequestAsync(carol, new JsonObject { ["cmd"] = "script.list" });
        Assert.Equal(0, list.Head.GetProperty("scripts").GetArrayLength());

        await using var alice = await LoginAsync(network[A], Alice);
        var mine = await RequestAsync(alice, new JsonObject { ["cmd"] = "script.list" });
        Assert.Equal("echo@a.example", Assert.Single(mine.Head.GetProperty("scripts").EnumerateArray()).GetProperty("address").GetString());
    }

    [Fact]
    public async Task Test_DryRun_ShowsEffectsAndStateAndCommitsNothing()
    {
        using var directory = new TempDirectory("butterfly-script-test");
        await using var network = await StartAsync(directory, domains: [A]);
        await ScriptAsync(network, "echo@a.example", Echo);
        await using var alice = await LoginAsync(network[A], Alice);
        var reply = await RequestAsync(
            alice,
            new JsonObject { ["cmd"] = "script.test", ["address"] = "echo@a.example", ["sender"] = Dave },
            "From: dave@a.example\r\nTo: echo@a.example\r\nSubject: trial\r\n\r\nJust a test.\r\n");
        Assert.True(reply.Ok, reply.Message);
        Assert.Equal("completed", reply.Head.GetProperty("outcome").GetString());
        var effect = Assert.Single(reply.Head.GetProperty("effects").EnumerateArray());
        Assert.Equal(("send", "seen: trial"), (effect.GetProperty("kind").GetString(), effect.GetProperty("subject").GetString()));
        Assert.Equal(1, reply.Head.GetProperty("state").GetProperty("count").GetInt32());
        Assert.True(reply.Head.GetProperty("stateChanged").GetBoolean());

        Assert.Empty((await StateAsync(alice, "echo@a.example")).EnumerateObject());
        Assert.Empty(await RunsAsync(alice, "echo@a.example"));
        Assert.Empty(await SubjectsAsync(network[A], Carol));
    }

    [Fact]
    public async Task State_Set_ReplacesTheStateTheNextRunSees()
    {
        using var directory = new TempDirectory("butterfly-script-state");
        await using var network = await StartAsync(directory, domains: [A]);
        await ScriptAsync(network, "echo@a.example", Echo);
        await using var alice = await LoginAsync(network[A], Alice);
        var set = await RequestAsync(alice, new JsonObject { ["cmd"] = "script.state", ["address"] = "echo@a.example", ["set"] = new JsonObject { ["count"] = 41 } });
        Assert.True(set.Ok, set.Message);
        var notObject = await RequestAsync(alice, new JsonObject { ["cmd"] = "script.state", ["address"] = "echo@a.example", ["set"] = new JsonArray(1) });
        Assert.Equal("script.invalid-state", notObject.Code);

        await SendAsync(alice, "again", "body", "echo@a.example");
        await WaitForFolderAsync(network[A], Carol, s => s.ContainsKey("seen: again"), "carol has the script's message");
        Assert.Equal(42, (await StateAsync(alice, "echo@a.example")).GetProperty("count").GetInt32());
    }
}
