using Acornima.Ast;

namespace Butterfly.Scripting.Internal;

/// <summary>Finds what would load other code: <c>import</c> declarations, <c>import()</c>, and <c>export ... from</c>.</summary>
/// <remarks>A script is one file; the sandbox has no module loader, and this says so at upload instead of at run time.</remarks>
internal static class ImportGuard
{
    public static ScriptError? Check(Node program)
    {
        var pending = new Stack<Node>();
        pending.Push(program);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            var what = node switch
            {
                ImportDeclaration => "import",
                ImportExpression => "import()",
                ExportAllDeclaration => "export * from",
                ExportNamedDeclaration { Source: not null } => "export ... from",
                _ => null,
            };
            if (what is not null)
            {
                return ScriptErrors.Create(
                    ScriptOutcome.SyntaxError,
                    $"{what} is not allowed: a script is one file and cannot load other modules",
                    node.Location.Start.Line,
                    node.Location.Start.Column + 1);
            }

            foreach (var child in node.ChildNodes)
            {
                pending.Push(child);
            }
        }

        return null;
    }
}
