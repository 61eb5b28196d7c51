namespace Butterfly.Client;

/// <summary>What happened to one recipient of a sent message.</summary>
/// <param name="Address">The recipient address.</param>
/// <param name="Status">The outcome, e.g. <c>delivered</c>.</param>
public sealed record RecipientStatus(string Address, string Status);
