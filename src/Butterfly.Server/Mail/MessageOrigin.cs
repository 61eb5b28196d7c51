namespace Butterfly.Server.Mail;

/// <summary>Where a message entered the delivery pipeline.</summary>
internal enum MessageOrigin
{
    /// <summary>A logged-in client's <c>send</c>.</summary>
    Local,

    /// <summary>An authenticated peer server's <c>peer.deliver</c>.</summary>
    Peer,

    /// <summary>A filter's injected message, or a notice the server writes itself (bounce, delay).</summary>
    Filter,
}
