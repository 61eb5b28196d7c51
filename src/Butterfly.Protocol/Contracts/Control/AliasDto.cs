namespace Butterfly.Protocol.Contracts;

/// <summary>An alias in a control-socket reply (protocol/control.md, "Aliases").</summary>
/// <param name="Address">The alias, or <c>@domain</c> for a catch-all.</param>
/// <param name="Accounts">The accounts it delivers to.</param>
public sealed record AliasDto(string Address, IReadOnlyList<string> Accounts);
