using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

/// <summary>Every limit stops the run with its outcome, no effects, the input state, and the log so far.</summary>
public class LimitTests
{
    private const string State = """{"members":["a@x.org"]}""";

    // Sends and changes state first, so "nothing returned" is a real check.
    private static string Script(string body) => $$"""
        function onMessage(message, ctx) {
          ctx.send({ to: "a@x.org", subject: "before", text: "sent before the limit" });
          ctx.state.members.push("b@x.org");
          ctx.log("about to misbehave");
          {{body}}
        }
        """;

    // Only the memory limit: on a busy machine the statement or time limit could fire first.
    private static readonly ScriptLimits MemoryOnly = ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMinutes(2) };

    // Only the statement limit: on a busy machine a million statements can take longer than the default second.
    private static readonly ScriptLimits StatementsOnly = ScriptLimits.Default with { MaxCpuTime = TimeSpan.FromMinutes(2) };

    private static ScriptRunResult Run(string body, ScriptLimits? limits = null) =>
        Scripts.OnMessage(Script(body), context: Scripts.Context(State), limits: limits);

    [Fact]
    public void InfiniteLoop_StopsAtStatementLimit()
    {
        var result = Scripts.Stopped(Run("while (true) {}", StatementsOnly), ScriptOutcome.StatementLimit, State);

        Assert.Contains("1,000,000 statements", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(["about to misbehave"], result.Log);
        Assert.True(result.Statements > 1_000_000);
    }

    [Fact]
    public void InfiniteLoop_AfterAnAwait_StopsAtStatementLimit()
    {
        var result = Scripts.OnMessage(
            "async function onMessage(m, ctx) { ctx.send({ to: 'a@x.org' }); await null; for (;;) {} }",
            context: Scripts.Context(State),
            limits: StatementsOnly);

        Scripts.Stopped(result, ScriptOutcome.StatementLimit, State);
    }

    [Fact]
    public void InfiniteLoop_WithoutStatementLimit_StopsAtTimeLimit()
    {
        // An empty loop: Jint's memory limit counts the bytes a run allocates, so a loop that allocates
        // (even garbage) could reach that limit first on a fast machine; this one only spends time.
        var limits = ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMilliseconds(200) };

        var result = Scripts.Stopped(Run("for (;;) {}", limits), ScriptOutcome.TimeLimit, State);

        Assert.Contains("200 ms", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InfiniteLoop_InsideTryCatch_CannotSwallowTheLimit()
    {
        var result = Run("while (true) { try { for (;;) {} } catch (e) { ctx.log('caught', e); } finally { ctx.log('finally'); } }", StatementsOnly);

        Scripts.Stopped(result, ScriptOutcome.StatementLimit, State);
        Assert.DoesNotContain(result.Log, line => line.StartsWith("caught", StringComparison.Ordinal));
    }

    [Fact]
    public void MemoryBomb_ArrayGrowth_StopsAtMemoryLimit()
    {
        var result = Scripts.Stopped(Run("const a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length });", MemoryOnly), ScriptOutcome.MemoryLimit, State);

        Assert.Contains("32 MiB", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryBomb_StringDoubling_StopsAtMemoryLimit()
    {
        var result = Run("let s = 'x'; for (;;) { s = s + s; ctx.log(s.length > 0); s.indexOf('y'); }", MemoryOnly);

        Scripts.Stopped(result, ScriptOutcome.MemoryLimit, State);
    }

    [Fact]
    public void MemoryBomb_OneHugeRepeat_StopsWithoutTakingTheHostDown()
    {
        var result = Run("const s = 'x'.repeat(2 ** 29); ctx.log(s.length);", MemoryOnly);

        Scripts.Stopped(result, ScriptOutcome.MemoryLimit, State);
        Assert.Contains("String.prototype.repeat", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'ab'.padStart(2 ** 28)")]
    [InlineData("'ab'.padEnd(2 ** 28, 'xyz')")]
    public void MemoryBomb_OneHugePad_IsStoppedBeforeItAllocates(string expression)
    {
        var result = Run($"ctx.log({expression}.length);", MemoryOnly);

        Scripts.Stopped(result, ScriptOutcome.MemoryLimit, State);
    }

    // A few hundred bytes to build, 2^26 leaves to write: refused before writing (it took 48 s and 2.4 GB unguarded).
    [Theory]
    [InlineData("JSON.stringify(x)")]
    [InlineData("String(x)")]
    [InlineData("x.join('-')")]
    [InlineData("x.toLocaleString()")]
    [InlineData("`${x}`")]
    [InlineData("new Array(1e6).join('x'.repeat(1e4))")]
    public void MemoryBomb_SharedStructureWrittenOut_IsStoppedBeforeItAllocates(string expression)
    {
        var result = Run($"let x = []; for (let i = 0; i < 26; i++) x = [x, x]; ctx.log({expression}.length);", MemoryOnly);

        Scripts.Stopped(result, ScriptOutcome.MemoryLimit, State);
    }

    [Fact]
    public void MemoryBomb_SharedStructureLogged_IsStoppedBeforeItAllocates()
    {
        var result = Run("let x = [1]; for (let i = 0; i < 26; i++) x = [x, x]; ctx.log(x);", MemoryOnly);

        Scripts.Stopped(result, ScriptOutcome.MemoryLimit, State);
    }

    [Fact]
    public void JsonAndJoin_OfOrdinaryData_StillWork()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(m, ctx) {
              const shared = { n: 1 };
              const cyclic = [1]; cyclic.push(cyclic);
              ctx.log(JSON.stringify({ a: [shared, shared], s: "t" }), [1, [2, 3]].join("+"), String(cyclic));
              try { const o = {}; o.o = o; JSON.stringify(o); } catch (e) { ctx.log(e instanceof TypeError); }
            }
            """));

        Assert.Equal(["{\"a\":[{\"n\":1},{\"n\":1}],\"s\":\"t\"} 1+2,3 1,", "true"], result.Log);
    }

    [Fact]
    public void StringBuilders_WithinTheBudget_StillWork()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("function onMessage(m, ctx) { ctx.log('ab'.repeat(3), '7'.padStart(3, '0'), 'x'.padEnd(3, '-')); }"));

        Assert.Equal(["ababab 007 x--"], result.Log);
    }

    // Each of these recurses in C# inside Jint, not through an interpreted call, so LimitRecursion cannot see
    // it; 20,000 levels overflow a thread-pool stack (and the test host with it) unless the run has a deep stack.
    [Theory]
    [InlineData("let o = {}; for (let i = 0; i < 20000; i++) o = { o }; ctx.log(JSON.stringify(o).length);", "120002")]
    [InlineData("let a = [1]; for (let i = 0; i < 20000; i++) a = [a]; ctx.log(a.flat(Infinity).length);", "1")]
    [InlineData("let f = () => 7; for (let i = 0; i < 20000; i++) f = f.bind(null); ctx.log(f());", "7")]
    [InlineData("let p = { x: 3 }; for (let i = 0; i < 20000; i++) p = new Proxy(p, {}); ctx.log(p.x);", "3")]
    public void DeeplyNestedData_InBuiltInsThatRecurse_DoesNotOverflowTheHostStack(string body, string expected)
    {
        var result = Scripts.Succeeded(Scripts.OnMessage($"function onMessage(m, ctx) {{ {body} }}", limits: MemoryOnly));

        Assert.Equal([expected], result.Log);
    }

    [Fact]
    public void DeeplyNestedArray_ToString_StopsAtRecursionLimit()
    {
        // Array.prototype.toString is the sandbox's guarded function, so each nesting level is a counted call.
        Scripts.Stopped(Run("let a = []; for (let i = 0; i < 20000; i++) a = [a]; ctx.log(String(a).length);", MemoryOnly), ScriptOutcome.RecursionLimit, State);
    }

    [Fact]
    public void DeeplyNestedData_AtCompileTime_DoesNotOverflowTheHostStack()
    {
        var script = Scripts.Compile("let o = {}; for (let i = 0; i < 20000; i++) o = { o }; JSON.stringify(o);\nfunction onMessage(m, ctx) {}", MemoryOnly);

        Assert.True(script.HandlesMessage);
    }

    [Fact]
    public void RunawayRecursion_StopsAtRecursionLimit()
    {
        var result = Scripts.Stopped(Run("function down(n) { return down(n + 1) + 1; } down(0);"), ScriptOutcome.RecursionLimit, State);

        Assert.Contains("200", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TenThousandSends_StopAtSendLimit()
    {
        var result = Scripts.Stopped(Run("for (let i = 0; i < 10000; i++) ctx.send({ to: 'x' + i + '@x.org', text: 'spam' });"), ScriptOutcome.SendLimit, State);

        Assert.Contains("more than 1000 messages", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SendLimit_CannotBeCaught()
    {
        var result = Run("try { for (let i = 0; i < 10000; i++) ctx.send({ to: 'x@x.org' }); } catch (e) { ctx.log('caught'); }");

        Scripts.Stopped(result, ScriptOutcome.SendLimit, State);
        Assert.DoesNotContain("caught", result.Log);
    }

    [Fact]
    public void TooManyRecipients_StopAtSendLimit()
    {
        var limits = ScriptLimits.Default with { MaxRecipients = 100 };

        var result = Scripts.Stopped(Run("ctx.send({ to: Array.from({ length: 200 }, (_, i) => 'm' + i + '@x.org') });", limits), ScriptOutcome.SendLimit, State);

        Assert.Contains("100 recipients", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedState_StopsAtStateLimit()
    {
        var result = Scripts.Stopped(Run("ctx.state.big = 'x'.repeat(2 * 1024 * 1024);"), ScriptOutcome.StateLimit, State);

        Assert.Contains("1048576 bytes", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedState_ManySmallEntries_StopsAtStateLimit()
    {
        var limits = ScriptLimits.Default with { MaxStateBytes = 10_000 };

        Scripts.Stopped(Run("for (let i = 0; i < 5000; i++) ctx.state['k' + i] = i;", limits), ScriptOutcome.StateLimit, State);
    }

    [Fact]
    public void StateAtTheLimit_IsKept()
    {
        // {"s":"..."} is 8 bytes around the string.
        var limits = ScriptLimits.Default with { MaxStateBytes = 108 };

        var exact = Scripts.OnMessage("function onMessage(m, ctx) { ctx.state = { s: 'x'.repeat(100) }; }", limits: limits);
        var over = Scripts.OnMessage("function onMessage(m, ctx) { ctx.state = { s: 'x'.repeat(101) }; }", limits: limits);

        Assert.Equal(108, Scripts.Succeeded(exact).StateJson.Length);
        Scripts.Stopped(over, ScriptOutcome.StateLimit);
    }

    [Theory]
    [InlineData("ctx.state.f = function () {};", "ctx.state.f is a function")]
    [InlineData("ctx.state.self = ctx.state;", "cycle")]
    [InlineData("ctx.state.n = NaN;", "ctx.state.n is NaN")]
    [InlineData("ctx.state.m = new Map();", "Map")]
    [InlineData("ctx.state.list = [1, () => 2];", "ctx.state.list[1] is a function")]
    [InlineData("Object.defineProperty(ctx.state, 'g', { get() { return 1; }, enumerable: true });", "getter")]
    [InlineData("ctx.state = 'text';", "must be a plain object")]
    public void NonJsonState_IsARuntimeErrorNamingThePath(string body, string expected)
    {
        var result = Scripts.Stopped(Run(body), ScriptOutcome.RuntimeError, State);

        Assert.Contains(expected, result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_StopsARunningScript()
    {
        using var cancellation = new CancellationTokenSource();
        var script = Scripts.Compile(Script("ctx.log('looping'); for (;;) {}"));
        var limits = ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMinutes(5) };

        var run = Task.Run(() => Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(State), limits, cancellation.Token));
        cancellation.CancelAfter(100);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Scripts.Stopped(result, ScriptOutcome.Cancelled, State);
    }

    [Fact]
    public void Cancellation_BeforeTheRun_RunsNothing()
    {
        var script = Scripts.Compile(Script(""));

        var result = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(State), ScriptLimits.Default, new CancellationToken(canceled: true));

        Scripts.Stopped(result, ScriptOutcome.Cancelled, State);
        Assert.Equal(0, result.Statements);
    }

    [Fact]
    public void TopLevelLoop_IsRefusedAtCompileTime()
    {
        var error = Scripts.CompileError("for (;;) {}\nfunction onMessage(m, ctx) {}", StatementsOnly);

        Assert.Equal("statement-limit", error.Kind);
    }

    [Fact]
    public void StatementLimit_CoversTopLevelCodeAndHandlerTogether()
    {
        // 600 + 600 loop iterations: each part fits the limit alone, not together.
        var limits = StatementsOnly with { MaxStatements = 1000 };
        var script = Scripts.Compile("let n = 0; for (let i = 0; i < 600; i++) n++;\nfunction onMessage(m, ctx) { for (let i = 0; i < 600; i++) n++; }");

        var result = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(), limits, CancellationToken.None);

        Scripts.Stopped(result, ScriptOutcome.StatementLimit);
    }
}
