using System.Text;
using System.Text.Json;
using Butterfly.Cli.Commands;
using Butterfly.Client.Tests.Fakes;
using Xunit;

namespace Butterfly.Cli.Tests;

public sealed class CliAppTests
{
    private static FakeServer Server(Dictionary<string, (string Head, byte[]? Body)> replies, List<FakeRequest>? seen = null) =>
        new((connection, request) =>
        {
            if (seen is not null)
            {
                lock (seen)
                {
                    seen.Add(request);
                }
            }

            var (head, body) = replies.TryGetValue(request.Command, out var reply)
                ? reply
                : ("""{"ok":false,"code":"request.unknown-command","message":"Unknown."}""", null);
            return connection.SendAsync(request.Tag, head, body);
        });

    private static CliHarness Logged(FakeServer server) =>
        new CliHarness()
            .Env("BUTTERFLY_SERVER", server.Endpoint)
            .Env("BUTTERFLY_USER", "alice@example.org")
            .Env("BUTTERFLY_PASSWORD", "password123");

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var run = await new CliHarness().RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in CliApp.Commands)
        {
            Assert.Contains(command.Name, run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryCommand_Help_ExitsZeroWithUsage()
    {
        foreach (var command in CliApp.Commands)
        {
            var run = await new CliHarness().RunAsync([.. command.Words, "--help"]);

            Assert.Equal(0, run.ExitCode);
            Assert.StartsWith($"usage: butterfly {command.Name}", run.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("user", "frobnicate")]
    [InlineData("list", "--bogus")]
    [InlineData("read")]
    [InlineData("read", "abc")]
    [InlineData("move", "3")]
    [InlineData("flag", "3", "--add", "shiny")]
    public async Task BadUsage_ExitsTwoWithUsageError(params string[] args)
    {
        var run = await new CliHarness().Env("BUTTERFLY_USER", "a@b.c").Env("BUTTERFLY_PASSWORD", "x").RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: usage: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoUser_ExitsTwo()
    {
        var run = await new CliHarness().RunAsync("folders");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("BUTTERFLY_USER", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginRefused_PrintsCodeAndExitsOne()
    {
        await using var server = Server(new() { ["login"] = ("""{"ok":false,"code":"auth.failed","message":"Unknown user or wrong password."}""", null) });

        var run = await Logged(server).RunAsync("folders");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: auth.failed: Unknown user or wrong password.", run.Error.Trim());
    }

    [Fact]
    public async Task ServerDown_ConnectionErrorExitsOne()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var run = await new CliHarness().Env("BUTTERFLY_USER", "a@b.c").Env("BUTTERFLY_PASSWORD", "x").RunAsync("folders", "--server", $"127.0.0.1:{port}");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: connection: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderCreate_ServerError_PrintsCodeAndExitsOne()
    {
        await using var server = Server(new()
        {
            ["login"] = ("""{"ok":true,"user":"alice@example.org"}""", null),
            ["folder.create"] = ("""{"ok":false,"code":"folder.exists","message":"A folder named 'Work' exists."}""", null),
        });

        var run = await Logged(server).RunAsync("folder", "create", "Work");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: folder.exists: A folder named 'Work' exists.", run.Error.Trim());
    }

    [Fact]
    public async Task List_Json_PrintsPageWithWireNames()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(
            new()
            {
                ["login"] = ("""{"ok":true,"user":"alice@example.org"}""", null),
                ["message.list"] = ("""{"ok":true,"folder":"Work","total":1,"next":null,"messages":[{"id":3,"folder":"Work","from":"Bob <bob@example.org>","to":["alice@example.org"],"cc":[],"subject":"Lunch?","date":"2026-11-21T12:00:00+00:00","received":"2026-11-21T12:00:01+00:00","size":812,"flags":["seen"],"modseq":40}]}""", null),
            },
            seen);

        var run = await Logged(server).RunAsync("list", "--folder", "Work", "--limit", "5", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("next").ValueKind);
        var message = root.GetProperty("messages")[0];
        Assert.Equal(40, message.GetProperty("modseq").GetInt64());
        Assert.Equal("Lunch?", message.GetProperty("subject").GetString());
        var request = seen.Single(r => r.Command == "message.list");
        Assert.Equal("Work", request.Head.GetProperty("folder").GetString());
        Assert.Equal(5, request.Head.GetProperty("limit").GetInt32());
        var login = seen.Single(r => r.Command == "login");
        Assert.Equal("password123", login.Head.GetProperty("password").GetString());
    }

    [Fact]
    public async Task List_Table_ShowsRows()
    {
        await using var server = Server(new()
        {
            ["login"] = ("""{"ok":true}""", null),
            ["message.list"] = ("""{"ok":true,"folder":"Inbox","total":3,"next":2,"messages":[{"id":3,"folder":"Inbox","from":"Bob <bob@example.org>","to":[],"cc":[],"subject":"Lunch?","date":null,"received":"2026-11-21T12:00:01+00:00","size":812,"flags":[],"modseq":40}]}""", null),
        });

        var run = await Logged(server).RunAsync("list");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Lunch?", run.Out, StringComparison.Ordinal);
        Assert.Contains("Bob <bob@example.org>", run.Out, StringComparison.Ordinal);
        Assert.Contains("--before 2", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Raw_WritesExactBytes()
    {
        var raw = Encoding.UTF8.GetBytes("Subject: caf\u00e9\r\n\r\nbody\r\n");
        await using var server = Server(new()
        {
            ["login"] = ("""{"ok":true}""", null),
            ["message.fetch"] = ("""{"ok":true,"folder":"Inbox","id":3,"size":20,"flags":["seen"],"received":"2026-11-21T12:00:01+00:00"}""", raw),
        });
        var harness = Logged(server);

        var run = await harness.RunAsync("read", "3", "--raw");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(raw, harness.RawStdout.ToArray());
    }

    [Fact]
    public async Task Read_Unseen_MarksSeenAndRenders()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(
            new()
            {
                ["login"] = ("""{"ok":true}""", null),
                ["message.fetch"] = ("""{"ok":true,"folder":"Inbox","id":3,"size":20,"flags":[],"received":"2026-11-21T12:00:01+00:00"}""", Encoding.UTF8.GetBytes("From: bob@example.org\r\nSubject: Hi\r\n\r\nHello\r\n")),
                ["message.flags"] = ("""{"ok":true,"messages":[{"id":3,"flags":["seen"],"modseq":9}]}""", null),
            },
            seen);

        var run = await Logged(server).RunAsync("read", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Subject: Hi", run.Out, StringComparison.Ordinal);
        Assert.Contains("Hello", run.Out, StringComparison.Ordinal);
        Assert.Equal("seen", seen.Single(r => r.Command == "message.flags").Head.GetProperty("add")[0].GetString());
    }

    [Fact]
    public async Task Send_Simple_SendsFieldsAndPrintsResult()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(
            new()
            {
                ["login"] = ("""{"ok":true}""", null),
                ["send"] = ("""{"ok":true,"messageId":"<a1@example.org>","sent":{"folder":"Sent","id":12},"recipients":[{"address":"bob@example.org","status":"delivered"}]}""", null),
            },
            seen);

        var run = await Logged(server).RunAsync("send", "--to", "bob@example.org", "--cc", "carol@example.org", "--subject", "Lunch?", "--body", "At noon?");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("<a1@example.org>", run.Out, StringComparison.Ordinal);
        var head = seen.Single(r => r.Command == "send").Head;
        Assert.Equal("carol@example.org", head.GetProperty("cc")[0].GetString());
        Assert.Equal("At noon?", head.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Send_PasswordStdin_ReadsFirstLine()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(new() { ["login"] = ("""{"ok":true}""", null), ["folder.list"] = ("""{"ok":true,"folders":[]}""", null) }, seen);
        var harness = new CliHarness { Stdin = "from-stdin\nrest\n" }.Env("BUTTERFLY_PASSWORD", "from-env");

        var run = await harness.RunAsync("folders", "--server", server.Endpoint, "--user", "a@example.org", "--password-stdin");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("from-stdin", seen.Single(r => r.Command == "login").Head.GetProperty("password").GetString());
    }

    [Fact]
    public async Task Move_Json_PrintsIdMap()
    {
        await using var server = Server(new()
        {
            ["login"] = ("""{"ok":true}""", null),
            ["message.move"] = ("""{"ok":true,"folder":"Archive","ids":{"3":10,"5":11}}""", null),
        });

        var run = await Logged(server).RunAsync("move", "3", "5", "--to", "Archive", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(11, document.RootElement.GetProperty("ids").GetProperty("5").GetInt64());
    }

    [Fact]
    public async Task Send_File_SendsExactBytesWithEnvelope()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(
            new()
            {
                ["login"] = ("""{"ok":true}""", null),
                ["send"] = ("""{"ok":true,"messageId":"<a1@example.org>","sent":{"folder":"Sent","id":1},"recipients":[]}""", null),
            },
            seen);
        var path = Path.GetTempFileName();
        var raw = Encoding.UTF8.GetBytes("To: bob@example.org\r\nSubject: x\r\n\r\nhi\r\n");
        await File.WriteAllBytesAsync(path, raw);
        try
        {
            var run = await Logged(server).RunAsync("send", "--file", path, "--bcc", "carol@example.org");

            Assert.Equal(0, run.ExitCode);
            var request = seen.Single(r => r.Command == "send");
            Assert.Equal(raw, request.Body);
            Assert.Equal("carol@example.org", request.Head.GetProperty("rcpt")[0].GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Send_FileWithBody_UsageError()
    {
        var run = await new CliHarness().Env("BUTTERFLY_USER", "a@b.c").Env("BUTTERFLY_PASSWORD", "x")
            .RunAsync("send", "--file", "x.eml", "--body", "text", "--to", "b@c.d");

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Register_PasswordStdin_RegistersWithoutLogin()
    {
        var seen = new List<FakeRequest>();
        await using var server = Server(new() { ["register"] = ("""{"ok":true,"user":"carol@example.org"}""", null) }, seen);

        var run = await new CliHarness { Stdin = "correct horse\n" }.RunAsync("register", "carol@example.org", "--server", server.Endpoint, "--password-stdin");

        Assert.Equal(0, run.ExitCode);
        var request = seen.Single(r => r.Command == "register");
        Assert.Equal("correct horse", request.Head.GetProperty("password").GetString());
        Assert.DoesNotContain(seen, r => r.Command == "login");
    }
}
