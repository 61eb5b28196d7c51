namespace Butterfly.Server.Mail;

/// <summary>Where a message entered the delivery pipeline.</summary>
internal enum MessageOrigin
{
    /// <summary>A logged-in client's <c>send</c>.</summary>
    Local,

    /// <summary>An authenticated peer server's <c>peer.deliver</c>.</summary>
    Peer,

    /// <summary>A filter's injected message.</summary>
    Filter,

    /// <summary>
    /// A delivery status notice the server writes itself (a bounce, a delay notice): the null sender,
    /// to the sender of the message it reports on, wherever that is. Filters see it as <c>filter</c>
    /// (protocol/filter.md, "filter.message").
    /// </summary>
    Notice,

    /// <summary>Mail from the internet through the SMTP gateway's inbound listener (the smtp section).</summary>
    Smtp,
}
