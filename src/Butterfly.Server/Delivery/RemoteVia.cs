namespace Butterfly.Server.Delivery;

/// <summary>The way out for a remote domain (README, "Receiving and sending internet mail").</summary>
internal enum RemoteVia
{
    /// <summary>Not known now (DNS did not answer): the queue finds out at the attempt.</summary>
    Unknown,

    /// <summary>A Butterfly server (a static peer, or <c>_butterfly._tcp</c> SRV records).</summary>
    Butterfly,

    /// <summary>SMTP: a route, the smarthost, or the domain's MX hosts.</summary>
    Smtp,

    /// <summary>Nowhere: a null MX (RFC 7505), no such domain, or neither a Butterfly server nor a mail host.</summary>
    None,
}
