namespace Butterfly.Scripting;

/// <summary>The incoming message, unchanged, to these recipients (<c>ctx.forward</c>).</summary>
/// <param name="To">Recipients (plain <c>local@domain</c>).</param>
public sealed record ForwardEffect(IReadOnlyList<string> To) : ScriptEffect;
