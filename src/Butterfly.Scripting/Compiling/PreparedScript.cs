using Jint;

namespace Butterfly.Scripting;

/// <summary>
/// A parsed script, ready to run: Jint's prepared AST (script or module), what it declares, and its identity.
/// </summary>
/// <remarks>
/// Immutable and safe to run from several threads at once: each run makes its own engine and only reads
/// the prepared AST. The server caches one per (address, script version) and re-parses only when the
/// source changes (<see cref="SourceHash"/>).
/// </remarks>
public sealed class PreparedScript
{
    internal PreparedScript(
        string source,
        Prepared<Acornima.Ast.Script>? script,
        Prepared<Acornima.Ast.Module>? module,
        bool handlesMessage,
        bool handlesSchedule,
        ScriptSchedule? schedule,
        string sourceHash,
        long approximateBytes)
    {
        Source = source;
        Script = script;
        Module = module;
        HandlesMessage = handlesMessage;
        HandlesSchedule = handlesSchedule;
        Schedule = schedule;
        SourceHash = sourceHash;
        ApproximateBytes = approximateBytes;
    }

    /// <summary>The source as uploaded.</summary>
    public string Source { get; }

    /// <summary>True when the source is an ECMAScript module (it uses <c>export</c>); false for a plain script.</summary>
    public bool IsModule => Module is not null;

    /// <summary>The script defines <c>onMessage(message, ctx)</c>.</summary>
    public bool HandlesMessage { get; }

    /// <summary>The script defines <c>onSchedule(ctx)</c> (and then always declares a <see cref="Schedule"/>).</summary>
    public bool HandlesSchedule { get; }

    /// <summary>When <c>onSchedule</c> runs; null when the script has none.</summary>
    public ScriptSchedule? Schedule { get; }

    /// <summary>Lower-case hex SHA-256 of the source's UTF-8 bytes.</summary>
    public string SourceHash { get; }

    /// <summary>
    /// Roughly what this object keeps alive, in bytes: the managed bytes allocated while Jint parsed the
    /// source (the AST and the parser's garbage, so an over-estimate) plus the source string.
    /// </summary>
    public long ApproximateBytes { get; }

    internal Prepared<Acornima.Ast.Script>? Script { get; }

    internal Prepared<Acornima.Ast.Module>? Module { get; }
}
