using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

public class ContextTests
{
    [Fact]
    public void Send_AllFields_RecordsOneSendEffect()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(message, ctx) {
              ctx.send({ to: ["a@x.org", "b@x.org"], cc: "c@x.org", subject: "S", text: "T", html: "<p>H</p>",
                         headers: { "X-List": "play" }, inReplyTo: "<id@x.org>" });
            }
            """));

        var send = Assert.IsType<SendEffect>(Assert.Single(result.Effects));
        Assert.Equal(["a@x.org", "b@x.org"], send.To);
        Assert.Equal(["c@x.org"], send.Cc);
        Assert.Equal("S", send.Subject);
        Assert.Equal("T", send.Text);
        Assert.Equal("<p>H</p>", send.Html);
        Assert.Equal([new KeyValuePair<string, string>("X-List", "play")], send.Headers);
        Assert.Equal("id@x.org", send.InReplyTo);
        Assert.Equal(["id@x.org"], send.References);
    }

    [Fact]
    public void Send_HeadersAsPairs_KeepsOrder()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(message, ctx) {
              ctx.send({ to: "a@x.org", subject: "S", text: "T", headers: [["X-B", "2"], ["X-A", "1"]] });
            }
            """));

        var send = Assert.IsType<SendEffect>(Assert.Single(result.Effects));
        Assert.Equal(["X-B", "X-A"], send.Headers.Select(header => header.Key));
    }

    [Theory]
    [InlineData("ctx.send({ subject: 'no recipients' })", "at least one recipient")]
    [InlineData("ctx.send({ to: 'not an address' })", "is not an address")]
    [InlineData("ctx.send({ to: 'a@x.org', subject: 'two\\nlines' })", "one line")]
    [InlineData("ctx.send({ to: 'a@x.org', headers: { From: 'evil@x.org' } })", "written by the server")]
    [InlineData("ctx.send('a@x.org')", "expects an object")]
    [InlineData("ctx.forward()", "at least one address")]
    [InlineData("ctx.fileInto('')", "folder name")]
    public void Send_BadArguments_ThrowsTypeErrorTheScriptCanCatch(string call, string expected)
    {
        var result = Scripts.Succeeded(Scripts.OnMessage($$"""
            function onMessage(message, ctx) {
              try { {{call}}; } catch (e) { ctx.log(e instanceof TypeError, e.message); }
            }
            """));

        Assert.Empty(result.Effects);
        var line = Assert.Single(result.Log);
        Assert.StartsWith("true ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_UncaughtTypeError_IsARuntimeErrorWithLocation()
    {
        var result = Scripts.OnMessage("function onMessage(message, ctx) {\n  ctx.send({ to: 'nobody' });\n}");

        Scripts.Stopped(result, ScriptOutcome.RuntimeError);
        Assert.Contains("not an address", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Error.Line);
    }

    [Fact]
    public void Reply_AnswersFromWithReSubjectAndThreading()
    {
        var message = Scripts.Message(subject: "Question", extraHeaders: "References: <old@example.net>\r\n");

        var result = Scripts.Succeeded(Scripts.OnMessage("function onMessage(m, ctx) { ctx.reply({ text: 'Answer' }); }", message));

        var send = Assert.IsType<SendEffect>(Assert.Single(result.Effects));
        Assert.Equal(["alice@example.net"], send.To);
        Assert.Equal("Re: Question", send.Subject);
        Assert.Equal("Answer", send.Text);
        Assert.Equal("m1@example.net", send.InReplyTo);
        Assert.Equal(["old@example.net", "m1@example.net"], send.References);
    }

    [Fact]
    public void Reply_ToReplyToAndKeepsExistingRe()
    {
        var message = Scripts.Message(subject: "Re: Question", extraHeaders: "Reply-To: team@example.net\r\n");

        var result = Scripts.Succeeded(Scripts.OnMessage("function onMessage(m, ctx) { ctx.reply('Short answer'); }", message));

        var send = Assert.IsType<SendEffect>(Assert.Single(result.Effects));
        Assert.Equal(["team@example.net"], send.To);
        Assert.Equal("Re: Question", send.Subject);
        Assert.Equal("Short answer", send.Text);
    }

    [Fact]
    public void ForwardRejectFileInto_RecordEffectsInCallOrder()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(message, ctx) {
              ctx.fileInto("Lists/play");
              ctx.forward("a@x.org", ["b@x.org", "c@x.org"]);
              ctx.reject("no thanks");
            }
            """));

        Assert.Equal(3, result.Effects.Count);
        Assert.Equal(new FileIntoEffect("Lists/play"), result.Effects[0]);
        Assert.Equal(["a@x.org", "b@x.org", "c@x.org"], Assert.IsType<ForwardEffect>(result.Effects[1]).To);
        Assert.Equal(new RejectEffect("no thanks"), result.Effects[2]);
    }

    [Fact]
    public void MessageFunctions_InOnSchedule_ThrowTypeError()
    {
        var result = Scripts.Succeeded(Scripts.OnSchedule("""
            const schedule = { everyMinutes: 5 };
            function onSchedule(ctx) {
              for (const f of ["reply", "forward", "reject", "fileInto"]) {
                try { ctx[f]("a@x.org"); } catch (e) { ctx.log(f, e.message); }
              }
            }
            """));

        Assert.Equal(4, result.Log.Count);
        Assert.All(result.Log, line => Assert.Contains("works in onMessage, not in onSchedule", line, StringComparison.Ordinal));
    }

    [Fact]
    public void State_ReadModifiedAndWrittenBack()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "function onMessage(m, ctx) { ctx.state.count = (ctx.state.count || 0) + 1; ctx.state.names.push('bob'); }",
            context: Scripts.Context("""{"count":1,"names":["alice"]}""")));

        Assert.Equal("""{"count":2,"names":["alice","bob"]}""", result.StateJson);
    }

    [Fact]
    public void State_ReplacedWholeAndUndefinedPropertiesDropped()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "function onMessage(m, ctx) { ctx.state = { kept: 'é', gone: undefined, when: ctx.now }; }",
            context: Scripts.Context("""{"old":true}""")));

        Assert.Equal("""{"kept":"é","when":"2026-03-02T12:00:00.000Z"}""", result.StateJson);
    }

    [Fact]
    public void Log_JoinsArgumentsAndShowsObjectsAsJson()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("function onMessage(m, ctx) { ctx.log('n', 1, { a: [true, null] }); ctx.log(); }"));

        Assert.Equal(["n 1 {\"a\":[true,null]}", ""], result.Log);
    }

    [Fact]
    public void Log_PastMaxLogLines_KeepsTheFirstAndCountsTheRest()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "function onMessage(m, ctx) { for (let i = 0; i < 10; i++) ctx.log('line', i); }",
            limits: ScriptLimits.Default with { MaxLogLines = 3 }));

        Assert.Equal(["line 0", "line 1", "line 2", "(7 more log lines dropped: the limit is 3 a run)"], result.Log);
    }

    [Fact]
    public void Log_LongLine_IsCut()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "function onMessage(m, ctx) { ctx.log('x'.repeat(50)); }",
            limits: ScriptLimits.Default with { MaxLogLineLength = 10 }));

        Assert.Equal(["xxxxxxxxxx..."], result.Log);
    }

    [Fact]
    public void NowAndDate_AreTheRunsClock()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "function onMessage(m, ctx) { ctx.log(ctx.now.toISOString(), Date.now() === ctx.now.getTime(), new Date().getHours()); }"));

        Assert.Equal(["2026-03-02T12:00:00.000Z true 12"], result.Log);
    }

    [Fact]
    public void Random_IsSeededAndInRange()
    {
        const string Source = "function onMessage(m, ctx) { const a = []; for (let i = 0; i < 5; i++) a.push(ctx.random(), Math.random()); ctx.log(JSON.stringify(a)); ctx.log(a.every(x => x >= 0 && x < 1)); }";

        var first = Scripts.Succeeded(Scripts.OnMessage(Source, context: Scripts.Context(seed: 7)));
        var again = Scripts.Succeeded(Scripts.OnMessage(Source, context: Scripts.Context(seed: 7)));
        var other = Scripts.Succeeded(Scripts.OnMessage(Source, context: Scripts.Context(seed: 8)));

        Assert.Equal(first.Log, again.Log);
        Assert.NotEqual(first.Log[0], other.Log[0]);
        Assert.Equal("true", first.Log[1]);
    }

    [Fact]
    public void AddressOwnerDomain_ComeFromTheContext()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("function onMessage(m, ctx) { ctx.log(ctx.address, ctx.owner, ctx.domain); }"));

        Assert.Equal(["list@example.org owner@example.org example.org"], result.Log);
    }

    [Fact]
    public void AsyncHandler_IsAwaited()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "async function onMessage(m, ctx) { await Promise.resolve(); ctx.send({ to: 'a@x.org', text: 'later' }); }"));

        Assert.Single(result.Effects);
    }

    [Fact]
    public void AsyncHandler_Rejected_IsARuntimeError()
    {
        var result = Scripts.OnMessage("async function onMessage(m, ctx) { ctx.send({ to: 'a@x.org' }); throw new Error('boom'); }");

        Scripts.Stopped(result, ScriptOutcome.RuntimeError);
        Assert.Contains("boom", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsyncHandler_LongAwaitChain_Completes()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage(
            "async function onMessage(m, ctx) { let n = 0; for (let i = 0; i < 500; i++) n += await Promise.resolve(1); ctx.log(n); }"));

        Assert.Equal(["500"], result.Log);
    }

    [Fact]
    public void AsyncHandler_NeverSettling_IsARuntimeError()
    {
        var result = Scripts.OnMessage("async function onMessage(m, ctx) { ctx.send({ to: 'a@x.org' }); await new Promise(() => {}); }");

        Scripts.Stopped(result, ScriptOutcome.RuntimeError);
        Assert.Contains("never settled", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunMessage_ScriptWithOnlyOnSchedule_IsNoHandler()
    {
        var script = Scripts.Compile("const schedule = { everyMinutes: 5 }; function onSchedule(ctx) {}");

        var result = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(), ScriptLimits.Default, CancellationToken.None);

        Scripts.Stopped(result, ScriptOutcome.NoHandler);
    }
}
