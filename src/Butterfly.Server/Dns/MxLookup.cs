namespace Butterfly.Server.Dns;

/// <summary>The answer to an MX lookup: what was found and, when mail can go somewhere, the hosts in the order to try.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Hosts">
/// The hosts to try, best first: the MX hosts for <see cref="MxStatus.Found"/>, the domain itself for
/// <see cref="MxStatus.Implicit"/>, empty otherwise.
/// </param>
public sealed record MxLookup(MxStatus Status, IReadOnlyList<MxHost> Hosts)
{
    /// <summary>Whether the domain can take mail at all: false for a null MX, a missing domain or no mail host.</summary>
    public bool AcceptsMail => Status is MxStatus.Found or MxStatus.Implicit;
}
