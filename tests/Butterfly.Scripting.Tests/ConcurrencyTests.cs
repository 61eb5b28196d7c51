using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task RunMessage_SamePreparedScriptFromManyThreads_EveryRunIsCorrectAndIndependent()
    {
        var script = Scripts.Compile("""
            let calls = 0;
            function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
            function onMessage(message, ctx) {
              calls++;
              ctx.state.seen = (ctx.state.seen || 0) + 1;
              ctx.send({ to: message.from, subject: "fib " + ctx.state.n, text: String(fib(ctx.state.n)) });
              ctx.log(calls);
            }
            """);
        const int Runs = 64;

        var results = await Task.WhenAll(Enumerable.Range(0, Runs).Select(i => Task.Run(() =>
        {
            var n = 5 + (i % 10);
            var result = Scripts.Runner.RunMessage(script, Scripts.Message(from: $"u{i}@x.org"), Scripts.Context($$"""{"n":{{n}}}""", seed: i), ScriptLimits.Default, CancellationToken.None);
            return (i, n, result);
        })));

        foreach (var (i, n, result) in results)
        {
            Scripts.Succeeded(result);
            var send = Assert.IsType<SendEffect>(Assert.Single(result.Effects));
            Assert.Equal([$"u{i}@x.org"], send.To);
            Assert.Equal(Fib(n).ToString(System.Globalization.CultureInfo.InvariantCulture), send.Text);
            Assert.Equal($$"""{"n":{{n}},"seen":1}""", result.StateJson);
            Assert.Equal(["1"], result.Log);
        }
    }

    [Fact]
    public async Task RunMessage_OneLoopingRunDoesNotStopTheOthers()
    {
        var looping = Scripts.Compile("function onMessage(m, ctx) { for (;;) {} }");
        var quick = Scripts.Compile("function onMessage(m, ctx) { ctx.log('ok'); }");
        var slowLimits = ScriptLimits.Default with { MaxStatements = long.MaxValue, MaxCpuTime = TimeSpan.FromSeconds(2) };

        var loop = Task.Run(() => Scripts.Runner.RunMessage(looping, Scripts.Message(), Scripts.Context(), slowLimits, CancellationToken.None));
        var quickResults = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Scripts.Runner.RunMessage(quick, Scripts.Message(), Scripts.Context(), ScriptLimits.Default, CancellationToken.None))));

        Assert.All(quickResults, result => Assert.Equal(["ok"], Scripts.Succeeded(result).Log));
        Scripts.Stopped(await loop, ScriptOutcome.TimeLimit);
    }

    private static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
}
