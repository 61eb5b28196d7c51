namespace Butterfly.Scripting;

/// <summary>Bounce the incoming message to its envelope sender with this reason (<c>ctx.reject</c>).</summary>
/// <param name="Reason">One line, shown to the sender in the delivery status notification.</param>
public sealed record RejectEffect(string Reason) : ScriptEffect;
