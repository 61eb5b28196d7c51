namespace Butterfly.Server.Configuration;

/// <summary>A section of <c>butterfly.json</c> that a reload (SIGHUP) applies to the running daemon.</summary>
/// <param name="Name">The section's key (<c>limits</c>): every key under it is reloadable unless <paramref name="NeedsRestart"/> says otherwise.</param>
/// <param name="Apply">
/// Makes the new section the one in effect: usually swaps the section object on the live options, which the
/// code reads at use time; keys that need a restart keep their old values (copy them back first).
/// </param>
/// <param name="NeedsRestart">The keys under the section (full paths) that only a restart applies; null when none.</param>
/// <param name="Unchangeable">Says why the whole section needs a restart this time (live, fresh), or null when it does not.</param>
public sealed record ReloadableSection(
    string Name,
    Action<ButterflyOptions, ButterflyOptions> Apply,
    Func<string, bool>? NeedsRestart = null,
    Func<ButterflyOptions, ButterflyOptions, bool>? Unchangeable = null);
