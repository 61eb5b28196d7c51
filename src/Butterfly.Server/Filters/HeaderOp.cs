namespace Butterfly.Server.Filters;

/// <summary>One header edit of a verdict (protocol/filter.md, "Header edits").</summary>
/// <param name="Op">add, change or delete.</param>
/// <param name="Name">The field name.</param>
/// <param name="Value">The new value (add, change).</param>
/// <param name="Index">The 1-based occurrence (change, delete).</param>
internal sealed record HeaderOp(string Op, string Name, string? Value, int Index);
