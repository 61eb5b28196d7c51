namespace Butterfly.Server.Mail;

/// <summary>The envelope of a message in the delivery pipeline: who sends it, to whom, and where it came from.</summary>
/// <param name="Sender">The envelope sender (an address; empty for bounces and notices).</param>
/// <param name="Recipients">The envelope recipients, normalized.</param>
/// <param name="Origin">Where the message entered this server.</param>
/// <param name="Account">The sending local account for <see cref="MessageOrigin.Local"/>, else null.</param>
/// <param name="PeerDomain">The proven peer domain for <see cref="MessageOrigin.Peer"/>, else null.</param>
/// <param name="Hops">How many times the message has been through a delivery pipeline (peers and filter injections count).</param>
internal sealed record Envelope(
    string Sender,
    IReadOnlyList<string> Recipients,
    MessageOrigin Origin,
    string? Account,
    string? PeerDomain,
    int Hops);
