namespace Butterfly.Storage;

/// <summary>An address the operator lets have a script, and the account that owns it.</summary>
/// <param name="Address">The address (normalized).</param>
/// <param name="OwnerId">The owner's account id.</param>
/// <param name="Owner">The owner's address.</param>
/// <param name="Created">When the operator allowed it.</param>
public sealed record ScriptAddress(string Address, long OwnerId, string Owner, DateTimeOffset Created);
