using Butterfly.Scripting.Tests.Support;

namespace Butterfly.Scripting.Tests;

/// <summary>The script sees the ECMAScript built-ins, message and ctx, and nothing of the host.</summary>
public class SandboxTests
{
    [Theory]
    [InlineData("System")]
    [InlineData("importNamespace")]
    [InlineData("clrHelper")]
    [InlineData("require")]
    [InlineData("setTimeout")]
    [InlineData("setInterval")]
    [InlineData("fetch")]
    [InlineData("process")]
    [InlineData("host")]
    public void HostName_IsNotDefined(string name)
    {
        var result = Scripts.Succeeded(Scripts.OnMessage($"function onMessage(m, ctx) {{ ctx.log(typeof {name}); }}"));

        Assert.Equal(["undefined"], result.Log);
    }

    [Fact]
    public void GlobalObject_HoldsOnlyStandardBuiltIns_AndFunctionConstructorCannotReachIt()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(m, ctx) {
              // Everything is strict, code made by Function() too: its `this` is undefined, not the global object.
              ctx.log(typeof Function('return this')(), typeof (0, eval)('this'));
              const global = globalThis;
              const standard = new Set(["globalThis", "Object", "Function", "Array", "String", "Number", "Boolean", "Symbol",
                "BigInt", "Math", "JSON", "Date", "RegExp", "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError",
                "TypeError", "URIError", "AggregateError", "SuppressedError", "Map", "Set", "WeakMap", "WeakSet", "WeakRef",
                "FinalizationRegistry", "Promise", "Proxy", "Reflect", "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics",
                "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
                "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "Iterator", "AsyncIterator",
                "Intl", "Temporal", "ShadowRealm", "DisposableStack", "AsyncDisposableStack", "eval", "isFinite", "isNaN",
                "parseFloat", "parseInt", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape",
                "unescape", "NaN", "Infinity", "undefined",
                // Jint's own: intrinsics it names on the global object (no host objects), and the script's handler.
                "toString", "Generator", "TypedArray", "onMessage"]);
              ctx.log(Object.getOwnPropertyNames(global).filter(name => !standard.has(name)).join(","));
            }
            """));

        Assert.Equal(2, result.Log.Count);
        Assert.Equal("undefined", result.Log[0].Split(' ')[0]);
        Assert.Equal("", result.Log[1]);
    }

    [Fact]
    public void CtxFunctions_ExposeNoClrMembers()
    {
        var result = Scripts.Succeeded(Scripts.OnMessage("""
            function onMessage(m, ctx) {
              const own = Object.getOwnPropertyNames(ctx.send).sort().join(",");
              const viaConstructor = ctx.send.constructor('return typeof this')();
              ctx.log(own, viaConstructor, typeof ctx.send.GetType, typeof m.header.GetType);
            }
            """));

        Assert.Equal(["length,name undefined undefined undefined"], result.Log);
    }

    [Fact]
    public void Import_IsRefusedAtCompileTimeWithLocation()
    {
        var error = Scripts.CompileError("import fs from 'fs';\nexport function onMessage(m, ctx) {}");

        Assert.Equal("syntax-error", error.Kind);
        Assert.Contains("import is not allowed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("function onMessage(m, ctx) {\n  return import('fs');\n}", "import()")]
    [InlineData("export * from 'other';\nexport function onMessage(m, ctx) {}", "export * from")]
    [InlineData("export { x } from 'other';\nexport function onMessage(m, ctx) {}", "export ... from")]
    public void DynamicImportAndReexport_AreRefused(string source, string what)
    {
        var error = Scripts.CompileError(source);

        Assert.Equal("syntax-error", error.Kind);
        Assert.StartsWith(what + " is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("await eval(\"import('fs')\");")]
    [InlineData("await new Function(\"return import('fs')\")();")]
    public void DynamicImportHiddenInEval_FailsAtRunTime(string statement)
    {
        var result = Scripts.OnMessage($"async function onMessage(m, ctx) {{ ctx.send({{ to: 'a@x.org' }}); {statement} }}");

        Scripts.Stopped(result, ScriptOutcome.RuntimeError);
        Assert.Contains("import is not allowed", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrictMode_AssignmentToUndeclared_Throws()
    {
        var result = Scripts.OnMessage("function onMessage(m, ctx) { undeclared = 1; }");

        Scripts.Stopped(result, ScriptOutcome.RuntimeError);
        Assert.Contains("undeclared", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Globals_DoNotLeakFromOneRunToTheNext()
    {
        var script = Scripts.Compile("var runs = 0; function onMessage(m, ctx) { runs++; globalThis.extra = (globalThis.extra || 0) + 1; ctx.log(runs, extra); }");

        var first = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(), ScriptLimits.Default, CancellationToken.None);
        var second = Scripts.Runner.RunMessage(script, Scripts.Message(), Scripts.Context(), ScriptLimits.Default, CancellationToken.None);

        Assert.Equal(["1 1"], first.Log);
        Assert.Equal(["1 1"], second.Log);
    }

    [Fact]
    public void Compile_NoHandler_IsRefused()
    {
        var error = Scripts.CompileError("const x = 1;");

        Assert.Equal("no-handler", error.Kind);
    }

    [Fact]
    public void Compile_ModuleDeclaringButNotExporting_SaysToExport()
    {
        var error = Scripts.CompileError("export const x = 1;\nfunction onMessage(m, ctx) {}");

        Assert.Equal("no-handler", error.Kind);
        Assert.Contains("export function onMessage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TopLevelThrow_IsARuntimeErrorWithLocation()
    {
        var error = Scripts.CompileError("function onMessage(m, ctx) {}\nthrow new Error('not today');");

        Assert.Equal("runtime-error", error.Kind);
        Assert.Contains("not today", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("const schedule = { everyMinutes: 0 };", "everyMinutes")]
    [InlineData("const schedule = { everyMinutes: 1.5 };", "everyMinutes")]
    [InlineData("const schedule = { daily: '25:00' };", "time of day")]
    [InlineData("const schedule = { daily: '09:00', timeZone: 'Mars/Olympus' };", "not a known time zone")]
    [InlineData("const schedule = { daily: '09:00', everyMinutes: 5 };", "exactly one")]
    [InlineData("", "needs a schedule")]
    public void Compile_BadSchedule_SaysWhatIsWrong(string declaration, string expected)
    {
        var error = Scripts.CompileError(declaration + "\nfunction onSchedule(ctx) {}");

        Assert.Equal("runtime-error", error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ScheduleWithoutOnSchedule_IsRefused()
    {
        var error = Scripts.CompileError("const schedule = { everyMinutes: 5 };\nfunction onMessage(m, ctx) {}");

        Assert.Contains("no onSchedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SourceHashAndSize_AreReported()
    {
        var script = Scripts.Compile("function onMessage(m, ctx) {}");

        // sha256("function onMessage(m, ctx) {}")
        Assert.Equal(64, script.SourceHash.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("function onMessage(m, ctx) {}"u8)), script.SourceHash);
        Assert.InRange(script.ApproximateBytes, 2 * script.Source.Length, 10 * 1024 * 1024);
    }
}
