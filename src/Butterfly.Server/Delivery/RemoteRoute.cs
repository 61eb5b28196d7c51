namespace Butterfly.Server.Delivery;

/// <summary>How mail for a remote domain leaves.</summary>
/// <param name="Via">Butterfly, SMTP, nowhere, or not known now.</param>
/// <param name="Problem">Why the domain takes no mail (for <see cref="RemoteVia.None"/>) or could not be looked up.</param>
internal sealed record RemoteRoute(RemoteVia Via, string? Problem = null);
