using System.Text;
using System.Text.Json;
using Xunit;

namespace Butterfly.Cli.Tests;

/// <summary>--json: results on stdout, errors as one JSON object on stderr, non-ASCII text printed as itself.</summary>
public sealed class JsonOutputTests
{
    private const string Butterfly = "Café ☕ 🦋";

    private static JsonElement Error(CliRun run)
    {
        var lines = run.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var line = Assert.Single(lines);
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement.Clone();
        Assert.Equal(["error"], root.EnumerateObject().Select(p => p.Name));
        return root.GetProperty("error");
    }

    [Fact]
    public async Task ServerRefusal_Json_ErrorObjectOnStderrAndExitOne()
    {
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ScriptedServer.LoginOk,
            ["folder.create"] = ("""{"ok":false,"code":"folder.exists","message":"A folder named 'Entwürfe' exists."}""", null),
        });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("folder", "create", "Entwürfe", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        var error = Error(run);
        Assert.Equal("folder.exists", error.GetProperty("code").GetString());
        Assert.Equal("A folder named 'Entwürfe' exists.", error.GetProperty("message").GetString());
        Assert.Contains("Entwürfe", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerRefusal_Text_CodeAndMessage()
    {
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ScriptedServer.LoginOk,
            ["folder.create"] = ("""{"ok":false,"code":"folder.exists","message":"A folder named 'Work' exists."}""", null),
        });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("folder", "create", "Work");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: folder.exists: A folder named 'Work' exists.\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ParseError_Json_UsageCodeAndExitTwo()
    {
        var run = await new CliHarness().RunAsync("move", "9", "--to", "", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("""{"error":{"code":"usage","message":"--to must not be empty."}}""" + "\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task ReadRawAndJson_Json_UsageError()
    {
        var run = await new CliHarness().RunAsync("read", "3", "--raw", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("choose one of --raw and --json.", Error(run).GetProperty("message").GetString());
    }

    [Fact]
    public async Task ActionUsageError_Json_UsageCodeAndExitTwo()
    {
        var run = await new CliHarness().RunAsync("folders", "--json");

        Assert.Equal(2, run.ExitCode);
        var error = Error(run);
        Assert.Equal("usage", error.GetProperty("code").GetString());
        Assert.Contains("BUTTERFLY_USER", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDown_Json_ConnectionCodeAndExitOne()
    {
        var port = ScriptedServer.UnusedPort();

        var run = await new CliHarness().Env("BUTTERFLY_USER", "a@b.c").Env("BUTTERFLY_PASSWORD", "x")
            .RunAsync("list", "--server", $"127.0.0.1:{port}", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("connection", Error(run).GetProperty("code").GetString());
    }

    [Fact]
    public async Task FolderCreateAndRename_Json_PrintTheNames()
    {
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ScriptedServer.LoginOk,
            ["folder.create"] = ("""{"ok":true}""", null),
            ["folder.rename"] = ("""{"ok":true}""", null),
        });
        var harness = ScriptedServer.LoggedIn(server);

        var created = await harness.RunAsync("folder", "create", "Entwürfe", "--json");
        var renamed = await harness.RunAsync("folder", "rename", "Entwürfe", "Archiv/Entwürfe 🦋", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("Entwürfe", JsonDocument.Parse(created.Out).RootElement.GetProperty("created").GetString());
        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        using var document = JsonDocument.Parse(renamed.Out);
        Assert.Equal("Entwürfe", document.RootElement.GetProperty("renamed").GetString());
        Assert.Equal("Archiv/Entwürfe 🦋", document.RootElement.GetProperty("to").GetString());
        Assert.Contains("Archiv/Entwürfe 🦋", renamed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryDataCommand_NonAscii_PrintedUnescaped()
    {
        var raw = Encoding.UTF8.GetBytes($"From: Ren\u00e9 <rene@example.org>\r\nSubject: {Butterfly}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{Butterfly}\r\n");
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ScriptedServer.LoginOk,
            ["folder.list"] = ($$"""{"ok":true,"folders":[{"name":"{{Butterfly}}","messages":1,"unseen":0,"nextId":2,"modseq":3}]}""", null),
            ["message.list"] = ($$"""{"ok":true,"folder":"Inbox","total":1,"next":null,"messages":[{"id":1,"folder":"Inbox","from":"René <rene@example.org>","to":[],"cc":[],"subject":"{{Butterfly}}","date":null,"received":"2026-11-21T12:00:01+00:00","size":80,"flags":["seen"],"modseq":3}]}""", null),
            ["message.fetch"] = ("""{"ok":true,"folder":"Inbox","id":1,"size":80,"flags":["seen"],"received":"2026-11-21T12:00:01+00:00"}""", raw),
            ["message.move"] = ($$$"""{"ok":true,"folder":"{{{Butterfly}}}","ids":{"1":2}}""", null),
        });
        var harness = ScriptedServer.LoggedIn(server);

        foreach (var args in new[] { ["folders", "--json"], ["list", "--json"], ["read", "1", "--json"], new[] { "move", "1", "--to", Butterfly, "--json" } })
        {
            var run = await harness.RunAsync(args);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains(Butterfly, run.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u", run.Out, StringComparison.Ordinal);
            JsonDocument.Parse(run.Out).Dispose();
        }
    }
}
