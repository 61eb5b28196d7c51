namespace Butterfly.Server.Configuration;

/// <summary>One configuration key and the value in effect, as <see cref="OptionValues"/> lists them.</summary>
/// <param name="Key">The key's path: <c>limits.maxRecipients</c>, <c>filters[0].name</c>, <c>peers.b.example.address</c>.</param>
/// <param name="Value">The value as JSON text (<c>100</c>, <c>"data"</c>, <c>null</c>); secrets are shown as <c>"(set)"</c>.</param>
public sealed record OptionValue(string Key, string Value);
