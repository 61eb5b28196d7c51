using Butterfly.Server.Delivery;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>Where mail for one remote domain goes (README, "Sending"): a Butterfly server, SMTP servers, or nowhere.</summary>
/// <param name="Via">The way out.</param>
/// <param name="Destinations">For SMTP, the servers in the order to try; empty otherwise.</param>
/// <param name="Problem">For <see cref="RemoteVia.None"/>, why the domain takes no mail.</param>
internal sealed record OutboundDecision(RemoteVia Via, IReadOnlyList<SmtpDestination> Destinations, string? Problem = null);
