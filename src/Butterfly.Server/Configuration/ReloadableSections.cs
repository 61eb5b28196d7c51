namespace Butterfly.Server.Configuration;

/// <summary>
/// What a reload (SIGHUP) may change in a running daemon, section by section; any other key that changed is
/// logged as needing a restart and keeps its value. A section is added here with how to apply it (for most,
/// a swap of the section object, which the code reads at use time: <c>services.Options.Limits.MaxRecipients</c>).
/// Components that keep state derived from a section subscribe to <see cref="ConfigurationReloader.Reloaded"/>.
/// The README's "Reloading the configuration" lists the same keys.
/// </summary>
public static class ReloadableSections
{
    /// <summary>The sections, in the order they are applied.</summary>
    public static IReadOnlyList<ReloadableSection> All { get; } =
    [
        // Counted from the first connection at start: the shared in-flight budget and the transport's read buffer.
        new("limits", static (live, fresh) =>
        {
            fresh.Limits.InFlightBytes = live.Limits.InFlightBytes;
            fresh.Limits.MaxFrameBytesBeforeLogin = live.Limits.MaxFrameBytesBeforeLogin;
            live.Limits = fresh.Limits;
        }, static key => key is "limits.inFlightBytes" or "limits.maxFrameBytesBeforeLogin"),

        new("loginPenalty", static (live, fresh) => live.LoginPenalty = fresh.LoginPenalty),

        // The chain reads the list at each delivery. The filter socket is opened at start only when a filter is
        // configured, and claims are registered at start.
        new(
            "filters",
            static (live, fresh) => live.Filters = fresh.Filters,
            static key => key.Contains(".claims", StringComparison.Ordinal),
            static (live, fresh) => (live.Filters.Count == 0) != (fresh.Filters.Count == 0)),

        new("peers", static (live, fresh) => live.Peers = fresh.Peers),

        // The outbound router reads where SMTP mail goes at each delivery; the inbound listener and the
        // outbound client's connection settings are taken at start.
        new("smtp", static (live, fresh) =>
        {
            live.Smtp.Routes = fresh.Smtp.Routes;
            live.Smtp.Smarthost = fresh.Smtp.Smarthost;
            live.Smtp.RequireTls = fresh.Smtp.RequireTls;
        }, static key => !IsUnder(key, "smtp.routes") && !IsUnder(key, "smtp.smarthost") && !IsUnder(key, "smtp.requireTls")),

        // The certificate files are read again at every reload; the TLS listener's address is bound at start.
        new("tls", static (live, fresh) =>
        {
            live.Tls.Certificate = fresh.Tls.Certificate;
            live.Tls.Key = fresh.Tls.Key;
        }, static key => key is not ("tls.certificate" or "tls.key")),
    ];

    // "smtp.routes" itself, or a key below it ("smtp.routes.example.com", "smtp.requireTls[0]").
    private static bool IsUnder(string key, string section) =>
        key.StartsWith(section, StringComparison.Ordinal)
        && (key.Length == section.Length || key[section.Length] is '.' or '[');
}
