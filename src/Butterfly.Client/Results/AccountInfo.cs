namespace Butterfly.Client;

/// <summary>The logged-in account, as <c>account</c> describes it.</summary>
/// <param name="Address">Its address.</param>
/// <param name="Aliases">The aliases that deliver to it (a catch-all as <c>@domain</c>).</param>
/// <param name="Lists">The distribution lists it owns.</param>
/// <param name="Usage">Bytes its folders hold.</param>
/// <param name="Quota">Its storage quota in bytes; null for none.</param>
public sealed record AccountInfo(string Address, IReadOnlyList<string> Aliases, IReadOnlyList<string> Lists, long Usage, long? Quota);
