using Butterfly.Client;
using MimeKit;

namespace Butterfly.Filters.Tests.Infrastructure;

/// <summary>Reading stored messages back in assertions, with MimeKit.</summary>
internal static class Mail
{
    public static MimeMessage Parse(FetchedMessage message) => Parse(message.Content);

    public static MimeMessage Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return MimeMessage.Load(stream);
    }

    public static string? Header(FetchedMessage message, string name) => Parse(message).Headers[name];

    /// <summary>Every value of the field <paramref name="name"/>, in order.</summary>
    public static IReadOnlyList<string> Headers(FetchedMessage message, string name) =>
        [.. Parse(message).Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    /// <summary>The one From (or Reply-To) address of a message.</summary>
    public static string Address(InternetAddressList list) => Assert.Single(list.Mailboxes).Address;

    public static string Text(FetchedMessage message) => (Parse(message).TextBody ?? string.Empty).Trim();

    /// <summary>Whether every line of <paramref name="raw"/> ends in CRLF (no bare LF or CR).</summary>
    public static bool HasCrlfLineEnds(byte[] raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if ((raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n')))
            {
                return false;
            }
        }

        return true;
    }
}
