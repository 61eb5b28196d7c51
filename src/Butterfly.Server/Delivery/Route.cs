using Butterfly.Server.Mail;
using Butterfly.Storage;

namespace Butterfly.Server.Delivery;

/// <summary>Where each recipient of a message goes: a local account, a filter's claimed address, or a remote domain.</summary>
internal sealed class Route
{
    /// <summary>Recipients with an account here.</summary>
    public List<Account> Locals { get; } = [];

    /// <summary>Claimed addresses by claiming filter.</summary>
    public Dictionary<string, List<string>> Claimed { get; } = new(StringComparer.Ordinal);

    /// <summary>Remote recipients by domain.</summary>
    public SortedDictionary<string, List<string>> Remote { get; } = new(StringComparer.Ordinal);

    /// <summary>Recipients refused one by one (peer and filter deliveries only).</summary>
    public List<RecipientResult> Failed { get; } = [];

    /// <summary>Every accepted recipient, in order.</summary>
    public List<string> Addresses { get; } = [];

    /// <summary>How many recipients are accepted.</summary>
    public int Count => Addresses.Count;

    /// <summary>How many recipients are remote.</summary>
    public int RemoteCount => Remote.Values.Sum(r => r.Count);

    /// <summary>The only accepted recipient, when there is exactly one.</summary>
    public string? Single => Addresses.Count == 1 ? Addresses[0] : null;
}
