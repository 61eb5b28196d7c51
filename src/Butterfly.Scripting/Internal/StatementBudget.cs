using Jint;
using Jint.Runtime;

namespace Butterfly.Scripting.Internal;

/// <summary>Counts the statements of a whole run and stops it past the limit.</summary>
/// <remarks>
/// Jint's own <c>MaxStatements</c> starts again at every entry into the engine (top-level code, then the
/// handler), and does not say how many ran. This one belongs to one run's engine and is never reset, so
/// the limit covers the run and <see cref="Count"/> is what <see cref="ScriptRunResult.Statements"/> reports.
/// </remarks>
internal sealed class StatementBudget(long maxStatements) : Constraint
{
    public long Count { get; private set; }

    public override void Check()
    {
        if (++Count > maxStatements)
        {
            throw new StatementsCountOverflowException();
        }
    }

    // Called by Jint at each entry; the budget is per run, not per entry.
    public override void Reset()
    {
    }
}
