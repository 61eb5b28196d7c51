using Jint;
using Jint.Runtime;
using Jint.Runtime.Modules;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// The sandbox's module loader: it finds the script's own module (registered by the run) and loads nothing else.
/// </summary>
/// <remarks>
/// The compiler refuses <c>import</c> in the source, but code made at run time (<c>eval</c>, <c>Function</c>)
/// can still ask for one. Jint's default loader answers with a host exception, which would escape the run;
/// this one throws a JavaScript TypeError, so the run ends as a runtime-error like any other.
/// </remarks>
internal sealed class NoImportsModuleLoader(IModuleLoader inner) : IModuleLoader
{
    public static NoImportsModuleLoader Instance { get; } = new(new Options().Modules.ModuleLoader);

    public ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest) =>
        inner.Resolve(referencingModuleLocation, moduleRequest);

    public Module LoadModule(Engine engine, ResolvedSpecifier resolved) =>
        throw new JavaScriptException(engine.Intrinsics.TypeError, "import is not allowed: a script is one file and cannot load other modules");
}
