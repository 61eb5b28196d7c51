namespace Butterfly.Storage;

/// <summary>A mail account.</summary>
/// <param name="Id">Stable id; never reused.</param>
/// <param name="Address">The address, lower-case.</param>
/// <param name="Created">When the account was created.</param>
public sealed record Account(long Id, string Address, DateTimeOffset Created);
