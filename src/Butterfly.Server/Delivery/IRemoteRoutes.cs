namespace Butterfly.Server.Delivery;

/// <summary>
/// How mail for a remote domain would leave (a Butterfly peer, or SMTP), asked when a local client sends, so the
/// sender hears at once of a domain that takes no mail. Implemented by the outbound router in <c>Smtp/</c>.
/// </summary>
internal interface IRemoteRoutes
{
    /// <summary>Finds how mail for <paramref name="domain"/> would go; a lookup that cannot be answered now is <see cref="RemoteVia.Unknown"/>.</summary>
    /// <param name="domain">The remote domain.</param>
    /// <param name="ct">Stops the lookup.</param>
    Task<RemoteRoute> ResolveAsync(string domain, CancellationToken ct);
}
