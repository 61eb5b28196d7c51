using System.Text;

namespace Butterfly.Scripting.Tests.Support;

/// <summary>Compiling and running scripts in tests: a compile failure fails the test with the script's error.</summary>
internal static class Scripts
{
    public static readonly DateTimeOffset Noon = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public static ScriptRunner Runner { get; } = new();

    public static PreparedScript Compile(string source, ScriptLimits? limits = null)
    {
        var compilation = ScriptCompiler.Compile(source, limits ?? ScriptLimits.Default);
        Assert.True(compilation.Succeeded, $"compile failed: {compilation.Error}");
        return compilation.Script!;
    }

    public static ScriptError CompileError(string source, ScriptLimits? limits = null)
    {
        var compilation = ScriptCompiler.Compile(source, limits ?? ScriptLimits.Default);
        Assert.False(compilation.Succeeded, "the script compiled");
        Assert.Null(compilation.Script);
        return compilation.Error!;
    }

    public static ScriptRunContext Context(string state = "{}", DateTimeOffset? now = null, long seed = 42) =>
        new("list@example.org", "owner@example.org", "example.org", now ?? Noon, seed, state);

    public static ScriptRunResult OnMessage(string source, ScriptMessage? message = null, ScriptRunContext? context = null, ScriptLimits? limits = null) =>
        Runner.RunMessage(Compile(source), message ?? Message(), context ?? Context(), limits ?? ScriptLimits.Default, CancellationToken.None);

    public static ScriptRunResult OnSchedule(string source, ScriptRunContext? context = null, ScriptLimits? limits = null) =>
        Runner.RunSchedule(Compile(source), context ?? Context(), limits ?? ScriptLimits.Default, CancellationToken.None);

    /// <summary>A plain-text message from <paramref name="from"/> to the list.</summary>
    public static ScriptMessage Message(
        string from = "alice@example.net",
        string subject = "Hello",
        string text = "Hi there.",
        string to = "list@example.org",
        string? extraHeaders = null,
        string messageId = "m1@example.net")
    {
        var raw = $"From: Alice <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Mon, 02 Mar 2026 11:59:00 +0000\r\n" +
                  $"Message-ID: <{messageId}>\r\n{extraHeaders}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n";
        return ScriptMessage.Read(Encoding.UTF8.GetBytes(raw), from, [to]);
    }

    public static ScriptMessage Raw(string raw, string envelopeFrom = "alice@example.net", params string[] envelopeTo) =>
        ScriptMessage.Read(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")), envelopeFrom, envelopeTo.Length == 0 ? ["list@example.org"] : envelopeTo);

    public static ScriptRunResult Succeeded(ScriptRunResult result)
    {
        Assert.True(result.Succeeded, $"run failed: {result.Error}; log: {string.Join(" | ", result.Log)}");
        return result;
    }

    /// <summary>Asserts a failed run: its outcome, and that it returned nothing but the input state.</summary>
    public static ScriptRunResult Stopped(ScriptRunResult result, ScriptOutcome outcome, string inputState = "{}")
    {
        Assert.False(result.Succeeded);
        Assert.Equal(outcome, result.Outcome);
        Assert.NotNull(result.Error);
        Assert.Equal(outcome.ToKind(), result.Error!.Kind);
        Assert.Empty(result.Effects);
        Assert.Equal(inputState, result.StateJson);
        return result;
    }
}
