namespace Butterfly.Scripting;

/// <summary>The result of <see cref="ScriptCompiler.Compile"/>: a prepared script or why there is none.</summary>
/// <param name="Script">The script, ready to run; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the source was refused (with line and column for syntax errors).</param>
public sealed record ScriptCompilation(PreparedScript? Script, ScriptError? Error)
{
    /// <summary>True when the source compiled.</summary>
    public bool Succeeded => Script is not null;
}
