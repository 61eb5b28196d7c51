using Butterfly.Mime;
using Butterfly.Server.Mail;

namespace Butterfly.Server.Delivery;

/// <summary>
/// Who a message says it is from: the addresses of its From, Sender and Return-Path fields. Each
/// field is read by both parsers that will see it (Butterfly.Mime here, MimeKit in most readers),
/// so a field one of them reads differently cannot hide an address from the check.
/// </summary>
internal static class SenderIdentity
{
    /// <summary>The identity fields, in the order they are checked.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["From", "Sender", "Return-Path"];

    /// <summary>
    /// The addresses each identity field names, normalized. A field that names nothing readable
    /// (or an address that is not a valid address) comes back as a problem sentence instead.
    /// </summary>
    /// <param name="message">The parsed message.</param>
    /// <param name="addresses">Each field's name with each normalized address it names.</param>
    /// <param name="problem">What cannot be read, or null.</param>
    public static bool TryRead(MimeMessage message, out List<(string Field, string Address)> addresses, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(message);
        addresses = [];
        problem = null;
        foreach (var mailbox in message.From)
        {
            if (!Addresses.TryNormalize(mailbox.Address, out var address, out _))
            {
                problem = $"The From field names '{Printable(mailbox.Address)}', which is not a valid address.";
                return false;
            }

            addresses.Add(("From", address));
        }

        foreach (var field in Fields)
        {
            foreach (var header in message.Headers.GetAll(field))
            {
                var found = new List<string>();
                if (MimeKit.InternetAddressList.TryParse(header.Value, out var list))
                {
                    found.AddRange(list.Mailboxes.Select(m => m.Address));
                }

                if (found.Count == 0)
                {
                    problem = $"The {field} field names no address this server can read.";
                    return false;
                }

                foreach (var text in found.Distinct(StringComparer.Ordinal))
                {
                    if (!Addresses.TryNormalize(text, out var address, out _))
                    {
                        problem = $"The {field} field names '{Printable(text)}', which is not a valid address.";
                        return false;
                    }

                    if (!addresses.Contains((field, address)))
                    {
                        addresses.Add((field, address));
                    }
                }
            }
        }

        return true;
    }

    private static string Printable(string text) =>
        new(text.Take(128).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
