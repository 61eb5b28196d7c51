namespace Butterfly.Server.Telemetry;

/// <summary>The <c>source</c> tag of the delivery instruments and log line: where a message came from.</summary>
internal static class DeliverySources
{
    /// <summary>A logged-in client's <c>send</c>.</summary>
    public const string Client = "client";

    /// <summary>A peer server's <c>peer.deliver</c>.</summary>
    public const string Peer = "peer";

    /// <summary>A message a filter injected or re-addressed.</summary>
    public const string Filter = "filter";

    /// <summary>Mail from the SMTP gateway.</summary>
    public const string Smtp = "smtp";

    /// <summary>A message an address script wrote.</summary>
    public const string Script = "script";

    /// <summary>A bounce or delay notice the server wrote.</summary>
    public const string Bounce = "bounce";
}
