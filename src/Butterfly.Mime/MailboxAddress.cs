using Butterfly.Mime.Internal;

namespace Butterfly.Mime;

/// <summary>A mailbox: an optional display name and an address (local part, "@", domain).</summary>
public sealed class MailboxAddress : IEquatable<MailboxAddress>
{
    /// <summary>Creates a mailbox.</summary>
    /// <param name="name">The display name, or null. Line breaks are replaced by spaces.</param>
    /// <param name="address">The address; it may not contain line breaks.</param>
    /// <exception cref="ArgumentException">The address is empty or contains a line break.</exception>
    public MailboxAddress(string? name, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = address.Trim();
        if (address.Length == 0 || address.AsSpan().ContainsAny('\r', '\n'))
        {
            throw new ArgumentException("An address must be non-empty and contain no line break.", nameof(address));
        }

        Name = string.IsNullOrWhiteSpace(name) ? null : name.Replace('\r', ' ').Replace('\n', ' ').Trim();
        Address = address;
    }

    /// <summary>The display name, decoded, or null.</summary>
    public string? Name { get; }

    /// <summary>The address, e.g. "alice@example.org".</summary>
    public string Address { get; }

    /// <summary>The local part: everything before the last "@" (or the whole address when it has none).</summary>
    public string LocalPart
    {
        get
        {
            int at = Address.LastIndexOf('@');
            return at < 0 ? Address : Address[..at];
        }
    }

    /// <summary>The domain: everything after the last "@", or an empty string.</summary>
    public string Domain
    {
        get
        {
            int at = Address.LastIndexOf('@');
            return at < 0 ? string.Empty : Address[(at + 1)..];
        }
    }

    /// <summary>
    /// "Name &lt;address&gt;" with the name quoted when it holds specials, or the bare address when
    /// there is no name. Non-ASCII names are kept as Unicode (this is for display and for
    /// RFC 6532 headers; the server writes mail with MimeKit, which encodes them for the wire).
    /// </summary>
    public override string ToString()
    {
        if (Name is null)
        {
            return Address;
        }

        return AddressFormatter.FormatPhrase(Name) + " <" + Address + ">";
    }

    /// <summary>Parses one mailbox ("Name &lt;addr&gt;", "addr", "addr (Name)"), leniently.</summary>
    /// <returns>True when <paramref name="text"/> holds exactly one mailbox.</returns>
    public static bool TryParse(string text, out MailboxAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var list = AddressParser.ParseList(text);
        if (list.Count != 1)
        {
            return false;
        }

        address = list[0];
        return true;
    }

    /// <summary>Parses an address list (mailboxes and groups, flattened), recovering what it can.</summary>
    public static IReadOnlyList<MailboxAddress> ParseList(string text) => AddressParser.ParseList(text ?? string.Empty);

    /// <inheritdoc />
    public bool Equals(MailboxAddress? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(Address, other.Address, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MailboxAddress);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, StringComparer.OrdinalIgnoreCase.GetHashCode(Address));
}
