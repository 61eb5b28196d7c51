using System.Text;
using System.Text.Json;
using Butterfly.Client.Tests.Fakes;
using Xunit;

namespace Butterfly.Cli.Tests;

/// <summary>The client commands against a scripted server: the requests they send and what they print.</summary>
public sealed class MailCommandTests
{
    [Fact]
    public async Task LoginRefused_PrintsCodeAndExitsOne()
    {
        await using var server = ScriptedServer.Start(new() { ["login"] = ("""{"ok":false,"code":"auth.failed","message":"Unknown user or wrong password."}""", null) });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("folders");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: auth.failed: Unknown user or wrong password.", run.Error.Trim());
    }

    [Fact]
    public async Task ServerDown_ConnectionErrorExitsOne()
    {
        var port = ScriptedServer.UnusedPort();

        var run = await new CliHarness().Env("BUTTERFLY_USER", "a@b.c").Env("BUTTERFLY_PASSWORD", "x").RunAsync("folders", "--server", $"127.0.0.1:{port}");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: connection: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderCreate_ServerError_PrintsCodeAndExitsOne()
    {
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ("""{"ok":true,"user":"alice@example.org"}""", null),
            ["folder.create"] = ("""{"ok":false,"code":"folder.exists","message":"A folder named 'Work' exists."}""", null),
        });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("folder", "create", "Work");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: folder.exists: A folder named 'Work' exists.", run.Error.Trim());
    }

    [Fact]
    public async Task List_Json_PrintsPageWithWireNames()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
            new()
            {
                ["login"] = ("""{"ok":true,"user":"alice@example.org"}""", null),
                ["message.list"] = ("""{"ok":true,"folder":"Work","total":1,"next":null,"messages":[{"id":3,"folder":"Work","from":"Bob <bob@example.org>","to":["alice@example.org"],"cc":[],"subject":"Lunch?","date":"2026-11-21T12:00:00+00:00","received":"2026-11-21T12:00:01+00:00","size":812,"flags":["seen"],"modseq":40}]}""", null),
            },
            seen);

        var run = await ScriptedServer.LoggedIn(server).RunAsync("list", "--folder", "Work", "--limit", "5", "--json");

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
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ("""{"ok":true}""", null),
            ["message.list"] = ("""{"ok":true,"folder":"Inbox","total":3,"next":2,"messages":[{"id":3,"folder":"Inbox","from":"Bob <bob@example.org>","to":[],"cc":[],"subject":"Lunch?","date":null,"received":"2026-11-21T12:00:01+00:00","size":812,"flags":[],"modseq":40}]}""", null),
        });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("list");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Lunch?", run.Out, StringComparison.Ordinal);
        Assert.Contains("Bob <bob@example.org>", run.Out, StringComparison.Ordinal);
        Assert.Contains("--before 2", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Raw_WritesExactBytes()
    {
        var raw = Encoding.UTF8.GetBytes("Subject: caf\u00e9\r\n\r\nbody\r\n");
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ("""{"ok":true}""", null),
            ["message.fetch"] = ("""{"ok":true,"folder":"Inbox","id":3,"size":20,"flags":["seen"],"received":"2026-11-21T12:00:01+00:00"}""", raw),
        });
        var harness = ScriptedServer.LoggedIn(server);

        var run = await harness.RunAsync("read", "3", "--raw");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(raw, harness.RawStdout.ToArray());
    }

    [Fact]
    public async Task Read_Unseen_MarksSeenAndRenders()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
            new()
            {
                ["login"] = ("""{"ok":true}""", null),
                ["message.fetch"] = ("""{"ok":true,"folder":"Inbox","id":3,"size":20,"flags":[],"received":"2026-11-21T12:00:01+00:00"}""", Encoding.UTF8.GetBytes("From: bob@example.org\r\nSubject: Hi\r\n\r\nHello\r\n")),
                ["message.flags"] = ("""{"ok":true,"messages":[{"id":3,"flags":["seen"],"modseq":9}]}""", null),
            },
            seen);

        var run = await ScriptedServer.LoggedIn(server).RunAsync("read", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Subject: Hi", run.Out, StringComparison.Ordinal);
        Assert.Contains("Hello", run.Out, StringComparison.Ordinal);
        Assert.Equal("seen", seen.Single(r => r.Command == "message.flags").Head.GetProperty("add")[0].GetString());
    }

    [Fact]
    public async Task Send_Simple_SendsFieldsAndPrintsResult()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
            new()
            {
                ["login"] = ("""{"ok":true}""", null),
                ["send"] = ("""{"ok":true,"messageId":"<a1@example.org>","sent":{"folder":"Sent","id":12},"recipients":[{"address":"bob@example.org","status":"delivered"}]}""", null),
            },
            seen);

        var run = await ScriptedServer.LoggedIn(server).RunAsync("send", "--to", "bob@example.org", "--cc", "carol@example.org", "--subject", "Lunch?", "--body", "At noon?");

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
        await using var server = ScriptedServer.Start(new() { ["login"] = ("""{"ok":true}""", null), ["folder.list"] = ("""{"ok":true,"folders":[]}""", null) }, seen);
        var harness = new CliHarness { Stdin = "from-stdin\nrest\n" }.Env("BUTTERFLY_PASSWORD", "from-env");

        var run = await harness.RunAsync("folders", "--server", server.Endpoint, "--user", "a@example.org", "--password-stdin");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("from-stdin", seen.Single(r => r.Command == "login").Head.GetProperty("password").GetString());
    }

    [Fact]
    public async Task Move_Json_PrintsIdMap()
    {
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ("""{"ok":true}""", null),
            ["message.move"] = ("""{"ok":true,"folder":"Archive","ids":{"3":10,"5":11}}""", null),
        });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("move", "3", "5", "--to", "Archive", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(11, document.RootElement.GetProperty("ids").GetProperty("5").GetInt64());
    }

    [Fact]
    public async Task Send_File_SendsExactBytesWithEnvelope()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
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
            var run = await ScriptedServer.LoggedIn(server).RunAsync("send", "--file", path, "--bcc", "carol@example.org");

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
    public async Task Register_PasswordStdin_RegistersWithoutLogin()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(new() { ["register"] = ("""{"ok":true,"user":"carol@example.org"}""", null) }, seen);

        var run = await new CliHarness { Stdin = "correct horse\n" }.RunAsync("register", "carol@example.org", "--server", server.Endpoint, "--password-stdin");

        Assert.Equal(0, run.ExitCode);
        var request = seen.Single(r => r.Command == "register");
        Assert.Equal("correct horse", request.Head.GetProperty("password").GetString());
        Assert.DoesNotContain(seen, r => r.Command == "login");
    }

    [Fact]
    public async Task Send_NoSubject_SendsAnEmptySubject()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
            new()
            {
                ["login"] = ScriptedServer.LoginOk,
                ["send"] = ("""{"ok":true,"messageId":"<a1@example.org>","sent":{"folder":"Sent","id":1},"recipients":[]}""", null),
            },
            seen);

        var run = await ScriptedServer.LoggedIn(server).RunAsync("send", "--to", "bob@example.org", "--to", "carol@example.org", "--body", "hi");

        Assert.True(run.ExitCode == 0, run.ToString());
        var head = seen.Single(r => r.Command == "send").Head;
        Assert.Equal(string.Empty, head.GetProperty("subject").GetString());
        Assert.Equal(["bob@example.org", "carol@example.org"], head.GetProperty("to").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Move_OptionsBeforeIdsAndAtSign_SentAsTyped()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
            new()
            {
                ["login"] = ScriptedServer.LoginOk,
                ["message.move"] = ("""{"ok":true,"folder":"@work","ids":{"3":10,"5":11}}""", null),
            },
            seen);

        // "@work" would be a response file to expand by System.CommandLine's default; here it is a folder name.
        var run = await ScriptedServer.LoggedIn(server).RunAsync("move", "--to", "@work", "3", "--folder", "Archive", "5");

        Assert.True(run.ExitCode == 0, run.ToString());
        var head = seen.Single(r => r.Command == "message.move").Head;
        Assert.Equal("@work", head.GetProperty("to").GetString());
        Assert.Equal("Archive", head.GetProperty("folder").GetString());
        Assert.Equal([3L, 5L], head.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("moved Archive 3 -> @work 10\nmoved Archive 5 -> @work 11\n", run.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Flag_AddAndRemove_SendsBoth()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(
            new()
            {
                ["login"] = ScriptedServer.LoginOk,
                ["message.flags"] = ("""{"ok":true,"messages":[{"id":3,"flags":["flagged"],"modseq":9}]}""", null),
            },
            seen);

        var run = await ScriptedServer.LoggedIn(server).RunAsync("flag", "3", "--add", "flagged", "--remove", "seen");

        Assert.True(run.ExitCode == 0, run.ToString());
        var head = seen.Single(r => r.Command == "message.flags").Head;
        Assert.Equal("flagged", head.GetProperty("add")[0].GetString());
        Assert.Equal("seen", head.GetProperty("remove")[0].GetString());
        Assert.Equal("3: flagged\n", run.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Read_HtmlOnly_ShowsTheTextWithHeadersAndAttachment()
    {
        var raw = Encoding.UTF8.GetBytes(
            "From: =?utf-8?Q?Ren=C3=A9?= <rene@example.org>\r\nTo: alice@example.org\r\nCc: bob@example.org\r\n"
            + "Subject: =?utf-8?B?Q2Fmw6kg4piV?=\r\nDate: Sat, 21 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            + "<html><head><style>p {color: red}</style></head><body><p>Noon at the caf&eacute;?</p><p>See <b>you</b></p></body></html>\r\n"
            + "--b1\r\nContent-Type: image/png; name=\"map.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n");
        await using var server = ScriptedServer.Start(new()
        {
            ["login"] = ScriptedServer.LoginOk,
            ["message.fetch"] = ("""{"ok":true,"folder":"Inbox","id":3,"size":400,"flags":["seen"],"received":"2026-11-21T12:00:01+00:00"}""", raw),
        });

        var run = await ScriptedServer.LoggedIn(server).RunAsync("read", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            "From: René <rene@example.org>\nTo: alice@example.org\nCc: bob@example.org\nSubject: Café ☕\n"
            + "Date: Sat, 21 Nov 2026 12:00:00 +0000\nAttachment: map.png (image/png, 8 bytes)\n\n"
            + "Noon at the café?\n\nSee you\n",
            run.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task FolderCreate_MistypedOption_RefusedNotCreated()
    {
        var seen = new List<FakeRequest>();
        await using var server = ScriptedServer.Start(new() { ["login"] = ScriptedServer.LoginOk, ["folder.create"] = ("""{"ok":true}""", null) }, seen);
        var harness = ScriptedServer.LoggedIn(server);

        var mistyped = await harness.RunAsync("folder", "create", "--jsn");
        var dashed = await harness.RunAsync("folder", "create", "--", "--jsn");

        Assert.Equal(2, mistyped.ExitCode);
        Assert.StartsWith("error: usage: Unrecognized option '--jsn'.", mistyped.Error, StringComparison.Ordinal);
        Assert.True(dashed.ExitCode == 0, dashed.ToString());
        Assert.Equal("--jsn", seen.Single(r => r.Command == "folder.create").Head.GetProperty("folder").GetString());
    }
}
