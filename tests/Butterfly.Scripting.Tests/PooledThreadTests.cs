using Butterfly.Scripting.Internal;
using Butterfly.Scripting.Tests.Support;
using Butterfly.TestUtilities;

namespace Butterfly.Scripting.Tests;

/// <summary>
/// Runs share a pool of long-lived deep-stack threads: a run after one that was stopped on the same thread
/// starts clean, the limits hold on a reused thread, and the pool stays bounded.
/// </summary>
public class PooledThreadTests
{
    // Leaves everything it can behind in its realm and on its thread, then never ends.
    private const string Polluter = """
        function onMessage(message, ctx) {
          globalThis.leaked = "from the stopped run";
          Array.prototype.push = function () { throw new Error("poisoned"); };
          Math.random = () => 4;
          ctx.send({ to: "a@x.org", subject: "lost", text: "never sent" });
          ctx.log("about to loop");
          while (true) {}
        }
        """;

    // What a clean run sees: none of the above.
    private const string Checker = """
        function onMessage(message, ctx) {
          const a = [];
          a.push(1);
          ctx.log(typeof globalThis.leaked, String(a.length), String(Math.random() < 1));
          ctx.state.n = (ctx.state.n || 0) + 1;
          ctx.fileInto("Inbox");
        }
        """;

    private static readonly ScriptLimits Quick = ScriptLimits.Default with { MaxStatements = 100_000 };

    public static TheoryData<string, ScriptOutcome> StoppedRuns => new()
    {
        { "statement-limit", ScriptOutcome.StatementLimit },
        { "time-limit", ScriptOutcome.TimeLimit },
        { "cancelled", ScriptOutcome.Cancelled },
    };

    [Theory]
    [MemberData(nameof(StoppedRuns))]
    public async Task RunMessage_AfterARunStoppedOnTheSameThread_IsClean(string how, ScriptOutcome outcome)
    {
        var pool = new DeepStackPool(DeepStack.StackBytes(ScriptLimits.Default), maxIdle: 1, TimeSpan.FromMinutes(5));
        var runner = new ScriptRunner(pool);
        var limits = how switch
        {
            "statement-limit" => Quick,
            "time-limit" => ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMilliseconds(200) },
            _ => ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMinutes(2) },
        };
        using var cancellation = new CancellationTokenSource();
        var stopping = runner.RunMessageAsync(Scripts.Compile(Polluter), Scripts.Message(), Scripts.Context("""{"n":5}"""), limits, cancellation.Token);
        if (how == "cancelled")
        {
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));
        }

        var stopped = Scripts.Stopped(await stopping, outcome, """{"n":5}""");
        Assert.Equal(["about to loop"], stopped.Log);
        await Eventually.TrueAsync(() => pool.IdleThreads == 1, "the thread is back in the pool");

        var clean = Scripts.Succeeded(runner.RunMessage(Scripts.Compile(Checker), Scripts.Message(), Scripts.Context("""{"n":5}"""), Quick, CancellationToken.None));

        Assert.Equal(1, pool.ThreadsStarted);
        Assert.Equal(["undefined 1 true"], clean.Log);
        Assert.Equal("""{"n":6}""", clean.StateJson);
        Assert.IsType<FileIntoEffect>(Assert.Single(clean.Effects));
    }

    [Fact]
    public void Limits_OnAReusedThread_StillStopEveryRun()
    {
        var pool = new DeepStackPool(DeepStack.StackBytes(ScriptLimits.Default), maxIdle: 1, TimeSpan.FromMinutes(5));
        var runner = new ScriptRunner(pool);
        var loop = Scripts.Compile("function onMessage(m, ctx) { while (true) {} }");
        var ok = Scripts.Compile(Checker);

        for (var i = 0; i < 5; i++)
        {
            Scripts.Succeeded(runner.RunMessage(ok, Scripts.Message(), Scripts.Context(), Quick, CancellationToken.None));
            Scripts.Stopped(runner.RunMessage(loop, Scripts.Message(), Scripts.Context(), Quick, CancellationToken.None), ScriptOutcome.StatementLimit);
        }

        Assert.Equal(1, pool.ThreadsStarted);
    }

    [Theory]
    [InlineData("let a = []; while (true) a.push('xxxxxxxxxxxxxxxxxxxxxxxx' + a.length);", ScriptOutcome.MemoryLimit)]
    [InlineData("function down(n) { return down(n + 1) + 1; } down(0);", ScriptOutcome.RecursionLimit)]
    public void RunMessage_AfterAMemoryOrRecursionStop_RunsCleanOnAFreshThread(string body, ScriptOutcome outcome)
    {
        var limits = ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMinutes(2) };
        var pool = new DeepStackPool(DeepStack.StackBytes(limits), maxIdle: 1, TimeSpan.FromMinutes(5));
        var runner = new ScriptRunner(pool);

        Scripts.Stopped(runner.RunMessage(Scripts.Compile($"function onMessage(m, ctx) {{ globalThis.leaked = 1; {body} }}"), Scripts.Message(), Scripts.Context(), limits, CancellationToken.None), outcome);
        // The memory hog again, on the next thread: its budget is its own, not what the first run left.
        Scripts.Stopped(runner.RunMessage(Scripts.Compile($"function onMessage(m, ctx) {{ {body} }}"), Scripts.Message(), Scripts.Context(), limits, CancellationToken.None), outcome);
        var nested = Scripts.Succeeded(runner.RunMessage(
            Scripts.Compile("function onMessage(m, ctx) { let o = {}; for (let i = 0; i < 20000; i++) o = { o }; ctx.log(typeof globalThis.leaked, JSON.stringify(o).length); }"),
            Scripts.Message(),
            Scripts.Context(),
            limits,
            CancellationToken.None));

        // The stack a stopped run may have touched deep down is given back with its thread.
        Assert.Equal(3, pool.ThreadsStarted);
        Assert.Equal(["undefined 120002"], nested.Log);
    }

    [Fact]
    public async Task RunMessageAsync_ManyAtOnce_KeepsAtMostMaxIdleThreadsAfterwards()
    {
        var limits = ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromMilliseconds(300) };
        var pool = new DeepStackPool(DeepStack.StackBytes(limits), maxIdle: 2, TimeSpan.FromMinutes(5));
        var runner = new ScriptRunner(pool);
        var loop = Scripts.Compile("function onMessage(m, ctx) { while (true) {} }");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => runner.RunMessageAsync(loop, Scripts.Message(), Scripts.Context(), limits, CancellationToken.None)));

        Assert.All(results, result => Assert.Equal(ScriptOutcome.TimeLimit, result.Outcome));
        Assert.Equal(6, pool.ThreadsStarted);
        await Eventually.TrueAsync(() => pool.IdleThreads == 2, "two threads are idle and the others ended");
        Scripts.Succeeded(await runner.RunMessageAsync(Scripts.Compile(Checker), Scripts.Message(), Scripts.Context(), Quick, CancellationToken.None));
        Assert.Equal(6, pool.ThreadsStarted);
    }

    [Fact]
    public async Task IdleThread_EndsAfterTheIdleTimeout_AndTheNextRunStartsAnother()
    {
        var pool = new DeepStackPool(DeepStack.StackBytes(ScriptLimits.Default), maxIdle: 4, TimeSpan.FromMilliseconds(50));
        var runner = new ScriptRunner(pool);
        var ok = Scripts.Compile(Checker);

        Scripts.Succeeded(runner.RunMessage(ok, Scripts.Message(), Scripts.Context(), Quick, CancellationToken.None));
        await Eventually.TrueAsync(() => pool.IdleThreads == 0 && pool.ThreadsStarted == 1, "the idle thread ended");
        Scripts.Succeeded(runner.RunMessage(ok, Scripts.Message(), Scripts.Context(), Quick, CancellationToken.None));

        Assert.Equal(2, pool.ThreadsStarted);
    }

    [Fact]
    public async Task RunMessageAsync_HostFault_FaultsTheTask()
    {
        var runner = new ScriptRunner(new DeepStackPool(DeepStack.StackBytes(ScriptLimits.Default), maxIdle: 1, TimeSpan.FromMinutes(5)));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            runner.RunMessageAsync(Scripts.Compile(Checker), Scripts.Message(), Scripts.Context("[1]"), Quick, CancellationToken.None));
    }
}
