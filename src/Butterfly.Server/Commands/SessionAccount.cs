namespace Butterfly.Server.Commands;

/// <summary>The account a session is logged in as.</summary>
/// <param name="Id">The store's account id; every store call is scoped by it.</param>
/// <param name="Address">The account's address, lower-case.</param>
internal sealed record SessionAccount(long Id, string Address);
