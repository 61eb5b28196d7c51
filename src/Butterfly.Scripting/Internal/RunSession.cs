using System.Globalization;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// One run's engine: a fresh Jint <see cref="Engine"/> with the sandbox's options, the run's clock and
/// random numbers, and its limits armed for the whole run. Single-threaded, used once.
/// </summary>
/// <remarks>
/// A fresh engine per run is what makes runs independent: nothing a script leaves in its globals
/// reaches the next run, and any number of runs of one <see cref="PreparedScript"/> can go at once.
/// </remarks>
internal sealed class RunSession : IDisposable
{
    private const string ModuleSpecifier = "butterfly:script";

    // Reads the handlers and the schedule after the script ran: global functions, vars and also top-level
    // let/const/class, which are not properties of the global object. Parsed once, shared by every run.
    private static readonly Prepared<Acornima.Ast.Script> ReadDeclarations = Engine.PrepareScript(
        "[typeof onMessage === 'undefined' ? undefined : onMessage," +
        " typeof onSchedule === 'undefined' ? undefined : onSchedule," +
        " typeof schedule === 'undefined' ? undefined : schedule]",
        "butterfly:declarations",
        strict: true);

    private readonly StatementBudget _budget;
    private readonly OperationDeadlineConstraint _deadline = new();

    public RunSession(DateTimeOffset now, long randomSeed, ScriptLimits limits, CancellationToken cancellationToken)
    {
        _budget = new StatementBudget(limits.MaxStatements);
        Random = new SeededRandom(randomSeed);
        Engine = new Engine(options =>
        {
            // No AllowClr, no host types, no require: the script sees the ECMAScript built-ins and what ctx gives it.
            options.Strict = true;
            options.Culture = CultureInfo.InvariantCulture;
            options.TimeZone = TimeZoneInfo.Utc;
            options.TimeSystem = new FixedTimeSystem(now);
            options.Modules.RegisterRequire = false;
            options.Modules.ModuleLoader = NoImportsModuleLoader.Instance;
            options.LimitRecursion(limits.MaxRecursionDepth);
            options.LimitMemory(limits.MaxMemoryBytes);
            // Jint's TimeoutInterval bounds each entry; the deadline bounds the run (top-level code and handler together)
            // and carries the cancellation token.
            options.TimeoutInterval(limits.MaxCpuTime);
            options.Constraint(_deadline);
            options.Constraint(_budget);
        });
        _deadline.Begin(limits.MaxCpuTime, cancellationToken);

        // Math.random draws from the run's seeded generator too, so a re-run draws the same numbers.
        Engine.Global.Get("Math").AsObject().Set("random", new ClrFunction(Engine, "random", (_, _) => Random.NextDouble(), 0));
        GuardStringBuilders(limits.MaxMemoryBytes / sizeof(char));
    }

    public Engine Engine { get; }

    public SeededRandom Random { get; }

    public long Statements => _budget.Count;

    /// <summary>Runs the script's top-level code and returns its handlers and declared schedule.</summary>
    public ScriptDeclarations Load(PreparedScript script)
    {
        if (script.Module is { } module)
        {
            Engine.Modules.Add(ModuleSpecifier, builder => builder.AddModule(module));
            var exports = Engine.Modules.Import(ModuleSpecifier);
            return new ScriptDeclarations(exports.Get("onMessage"), exports.Get("onSchedule"), exports.Get("schedule"));
        }

        Engine.Execute(script.Script!.Value);
        var found = Engine.Evaluate(ReadDeclarations).AsArray();
        return new ScriptDeclarations(found[0], found[1], found[2]);
    }

    // Jint checks the memory budget between statements, so one call that builds a huge string ('x'.repeat(2 ** 28)
    // is 512 MiB) would be allocated in full before the run is stopped. These three build a string of a length
    // the script names: refuse past the budget before allocating.
    private void GuardStringBuilders(long maxChars)
    {
        var prototype = Engine.Global.Get("String").AsObject().Get("prototype").AsObject();
        Guard(prototype, "repeat", maxChars, (self, args) => TypeConverter.ToString(self).Length * TypeConverter.ToNumber(JsArgs.At(args, 0)));
        Guard(prototype, "padStart", maxChars, (_, args) => TypeConverter.ToNumber(JsArgs.At(args, 0)));
        Guard(prototype, "padEnd", maxChars, (_, args) => TypeConverter.ToNumber(JsArgs.At(args, 0)));
    }

    private void Guard(ObjectInstance prototype, string name, long maxChars, Func<JsValue, JsValue[], double> resultLength)
    {
        var original = prototype.Get(name);
        prototype.Set(name, new ClrFunction(Engine, name, (self, args) =>
        {
            var length = resultLength(self, args);
            if (length > maxChars)
            {
                throw new ScriptLimitException(
                    ScriptOutcome.MemoryLimit,
                    $"String.prototype.{name} would build a string of {length:N0} characters, more than the memory limit allows; the script was stopped");
            }

            return original.Call(self, args);
        }, 1));
    }

    public void Dispose()
    {
        _deadline.End();
        Engine.Dispose();
    }
}
