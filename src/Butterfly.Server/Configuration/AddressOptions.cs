namespace Butterfly.Server.Configuration;

/// <summary>How addresses are resolved (<c>addresses</c> in butterfly.json).</summary>
public sealed class AddressOptions
{
    /// <summary>
    /// The character that starts a subaddress: <c>user+tag@domain</c> delivers to <c>user@domain</c>
    /// when nothing owns the full address. Default <c>+</c>; empty turns subaddressing off.
    /// </summary>
    public string SubaddressSeparator { get; set; } = "+";

    /// <summary>
    /// Files <c>user+tag@domain</c> into the account's folder <c>tag</c> when it has one (matched
    /// without regard to case), else into the Inbox. Off by default.
    /// </summary>
    public bool SubaddressFolders { get; set; }

    /// <summary>Checks the values; returns one line per problem.</summary>
    public IEnumerable<string> Validate()
    {
        if (SubaddressSeparator.Length > 1 || SubaddressSeparator is "@" || SubaddressSeparator.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return $"addresses.subaddressSeparator: '{SubaddressSeparator}' must be one character other than '@' (or empty for none).";
        }
    }
}
