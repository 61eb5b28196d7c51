using System.Security.Cryptography;
using System.Text;
using Acornima;
using Butterfly.Scripting.Internal;
using Jint;
using Jint.Native;

namespace Butterfly.Scripting;

/// <summary>Parses a script, checks what the sandbox refuses, and runs its top-level code once to find its handlers.</summary>
public static class ScriptCompiler
{
    private const string SourceName = "script.js";

    /// <summary>
    /// Compiles <paramref name="source"/>: a plain script or an ES module declaring <c>onMessage(message, ctx)</c>
    /// and/or <c>onSchedule(ctx)</c> (with its <c>schedule</c>). Never throws for a bad script: the error says
    /// what is wrong and, for syntax errors, where.
    /// </summary>
    public static ScriptCompilation Compile(string source, ScriptLimits limits)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var (script, module, parseError) = Parse(source);
        var approximateBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore + sizeof(char) * (long)source.Length;
        if (parseError is not null)
        {
            return Failed(parseError);
        }

        Acornima.Ast.Node program = script is { } s ? s.Program! : module!.Value.Program!;
        if (ImportGuard.Check(program) is { } importError)
        {
            return Failed(importError);
        }

        var prepared = new PreparedScript(source, script, module, false, false, null, Hash(source), approximateBytes);
        var (declarations, loadError) = DeepStack.Run(limits, () => Load(prepared, limits), static loaded => loaded.Error is not { } error || DeepStack.KeepsThread(error.Outcome));
        if (loadError is not null)
        {
            return Failed(loadError);
        }

        if (!declarations!.HandlesMessage && !declarations.HandlesSchedule)
        {
            return Failed(ScriptErrors.Create(
                ScriptOutcome.NoHandler,
                module is not null
                    ? "the module exports neither onMessage(message, ctx) nor onSchedule(ctx) (write: export function onMessage(message, ctx) { ... })"
                    : "the script defines neither onMessage(message, ctx) nor onSchedule(ctx)"));
        }

        var (schedule, scheduleError) = ReadSchedule(declarations);
        if (scheduleError is not null)
        {
            return Failed(ScriptErrors.Create(ScriptOutcome.RuntimeError, scheduleError));
        }

        return new ScriptCompilation(
            new PreparedScript(source, script, module, declarations.HandlesMessage, declarations.HandlesSchedule, schedule, prepared.SourceHash, approximateBytes),
            null);
    }

    private static ScriptCompilation Failed(ScriptError error) => new(null, error);

    // The top-level code, run once under the limits to see what it declares.
    private static (ScriptDeclarations? Declarations, ScriptError? Error) Load(PreparedScript prepared, ScriptLimits limits)
    {
        using var session = new RunSession(DateTimeOffset.UtcNow, 0, limits, CancellationToken.None);
        try
        {
            return (session.Load(prepared), null);
        }
        catch (Exception exception) when (ScriptErrors.FromException(exception, limits, CancellationToken.None) is { } error)
        {
            return (null, error);
        }
    }

    // A plain script first (strict); a source that only parses as a module (it uses export) is a module.
    private static (Prepared<Acornima.Ast.Script>?, Prepared<Acornima.Ast.Module>?, ScriptError?) Parse(string source)
    {
        ParseErrorException scriptError;
        try
        {
            return (Engine.PrepareScript(source, SourceName, strict: true), null, null);
        }
        catch (Exception exception) when (Unwrap(exception) is { } error)
        {
            scriptError = error;
        }

        try
        {
            return (null, Engine.PrepareModule(source, SourceName), null);
        }
        catch (Exception exception) when (Unwrap(exception) is { } moduleError)
        {
            // Both failed: report the error that got further. A module fails later than the script parse, which
            // stops at its first export or import; a plain script's mistake stops both at the same place.
            var error = (moduleError.LineNumber, moduleError.Column).CompareTo((scriptError.LineNumber, scriptError.Column)) > 0 ? moduleError : scriptError;
            return (null, null, ScriptErrors.Create(ScriptOutcome.SyntaxError, error.Description, error.LineNumber, error.Column + 1));
        }
    }

    private static ParseErrorException? Unwrap(Exception exception) => exception switch
    {
        ParseErrorException parse => parse,
        ScriptPreparationException { InnerException: ParseErrorException parse } => parse,
        _ => null,
    };

    private static (ScriptSchedule? Schedule, string? Error) ReadSchedule(ScriptDeclarations declarations)
    {
        var value = declarations.Schedule;
        if (JsArgs.IsMissing(value))
        {
            return declarations.HandlesSchedule
                ? (null, "onSchedule needs a schedule: declare export const schedule = { daily: \"09:00\", timeZone: \"Europe/Berlin\" } or { everyMinutes: 15 }")
                : (null, null);
        }

        if (!declarations.HandlesSchedule)
        {
            return (null, "the script declares a schedule but no onSchedule(ctx) to run");
        }

        if (!value.IsObject())
        {
            return (null, "schedule must be an object: { daily: \"09:00\", timeZone: \"UTC\" } or { everyMinutes: 15 }");
        }

        var obj = value.AsObject();
        var every = obj.Get("everyMinutes");
        var daily = obj.Get("daily");
        if (!every.IsUndefined() && daily.IsUndefined())
        {
            var minutes = every.IsNumber() ? every.AsNumber() : double.NaN;
            if (double.IsNaN(minutes) || minutes != Math.Floor(minutes) || minutes < 1 || minutes > ScriptSchedule.MaxEveryMinutes)
            {
                return (null, $"schedule.everyMinutes must be a whole number from 1 to {ScriptSchedule.MaxEveryMinutes}");
            }

            return (ScriptSchedule.Every((int)minutes), null);
        }

        if (daily.IsString() && every.IsUndefined())
        {
            var zone = obj.Get("timeZone");
            if (!zone.IsUndefined() && !zone.IsString())
            {
                return (null, "schedule.timeZone must be a string such as \"Europe/Berlin\"");
            }

            var schedule = ScriptSchedule.TryDaily(daily.AsString(), zone.IsString() ? zone.AsString() : null, out var error);
            return (schedule, error);
        }

        return (null, "schedule must have exactly one of everyMinutes (a number) or daily (\"HH:MM\")");
    }

    private static string Hash(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
}
