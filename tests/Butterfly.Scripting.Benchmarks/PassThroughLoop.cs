using System.Diagnostics;
using System.Text;

namespace Butterfly.Scripting.Benchmarks;

/// <summary>
/// A plain loop of pass-through runs, for a profiler to watch (dotnet-trace, or perf with
/// DOTNET_PerfMapEnabled=1): what one run of <c>ctx.fileInto('Inbox')</c> costs, reading a 10 KB message
/// first as the server does, with the wall and CPU time per run printed at the end.
/// </summary>
internal static class PassThroughLoop
{
    private const string Source = "export function onMessage(message, ctx) { ctx.fileInto('Inbox'); }";

    public static void Run(int runs)
    {
        var runner = new ScriptRunner();
        var script = ScriptCompiler.Compile(Source, ScriptLimits.Default).Script
            ?? throw new InvalidOperationException("the pass-through script does not compile");
        var raw = TenKilobytes();
        var context = TinyList.Context("{}");
        for (var i = 0; i < 200; i++)
        {
            Once(runner, script, raw, context);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < runs; i++)
        {
            Once(runner, script, raw, context);
        }

        var wall = Stopwatch.GetElapsedTime(started);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"{runs:N0} runs (message read + run): {wall.TotalMicroseconds / runs:N1} µs wall, {cpu.TotalMicroseconds / runs:N1} µs CPU per run");
    }

    private static void Once(ScriptRunner runner, PreparedScript script, byte[] raw, ScriptRunContext context)
    {
        var message = ScriptMessage.Read(raw, "member7@example.net", ["play@example.org"]);
        var result = runner.RunMessage(script, message, context, ScriptLimits.Default, CancellationToken.None);
        if (!result.Succeeded || result.Effects.Count != 1)
        {
            throw new InvalidOperationException($"the pass-through run failed: {result.Error}");
        }
    }

    // Like bench send's messages: a few header fields and about 10 KB of text.
    private static byte[] TenKilobytes()
    {
        var text = new StringBuilder();
        while (text.Length < 10_000)
        {
            text.Append("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\r\n");
        }

        return Encoding.UTF8.GetBytes(
            "From: Member Seven <member7@example.net>\r\nTo: play@example.org\r\nSubject: hello all\r\n" +
            "Date: Mon, 02 Mar 2026 11:59:00 +0000\r\nMessage-ID: <post@example.net>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text);
    }
}
