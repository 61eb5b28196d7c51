using System.Text;

namespace Butterfly.Mime.Internal;

/// <summary>Field-name helpers: ASCII case-insensitive comparison and interning of common names.</summary>
internal static class HeaderNames
{
    private static readonly string[] Common =
    [
        "From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID",
        "Received", "Return-Path", "DKIM-Signature", "Sender", "X-Mailer", "List-Id", "Content-Description",
    ];

    public static bool Equals(ReadOnlySpan<byte> name, string other) =>
        name.Length == other.Length && Ascii.EqualsIgnoreCase(name, other);

    public static string Intern(ReadOnlySpan<byte> name)
    {
        foreach (var c in Common)
        {
            if (name.Length == c.Length && Ascii.Equals(name, c))
            {
                return c;
            }
        }

        return Charsets.DecodeUnknown(name);
    }
}
