using System.Collections.Frozen;

namespace Butterfly.Server.Delivery;

/// <summary>
/// The RFC 3463 status code a delivery status notice gives for each of our error codes
/// (protocol/errors.md, and the queue's own peer.unreachable and peer.timeout), in one table.
/// </summary>
internal static class DeliveryStatusCodes
{
    private static readonly FrozenDictionary<string, string> _codes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Addressing (X.1.x).
        ["recipient.unknown"] = "5.1.1",
        ["recipient.invalid"] = "5.1.3",
        ["peer.domain-unknown"] = "5.1.2",

        // Mailbox (X.2.x).
        ["quota.exceeded"] = "5.2.2",

        // Mail system (X.3.x).
        ["message.too-large"] = "5.3.4",
        ["server.busy"] = "4.3.2",
        ["server.shutting-down"] = "4.3.2",
        ["server.internal"] = "4.3.0",
        ["filter.tempfail"] = "4.3.0",

        // Network and routing (X.4.x).
        ["peer.unreachable"] = "4.4.1",
        ["peer.timeout"] = "4.4.2",
        ["recipient.remote-unsupported"] = "5.4.4",
        ["recipient.domain-unreachable"] = "5.1.10",
        ["smtp.unreachable"] = "4.4.1",
        ["smtp.reply-lost"] = "4.4.2",
        ["smtp.tls-required"] = "4.7.5",
        ["message.loop"] = "5.4.6",

        // Protocol (X.5.x) and content (X.6.x).
        ["recipient.too-many"] = "5.5.3",
        ["request.invalid"] = "5.5.2",
        ["message.invalid"] = "5.6.0",
        ["message.empty"] = "5.6.0",

        // Policy and security (X.7.x).
        ["recipient.relay-denied"] = "5.7.1",
        ["peer.sender-mismatch"] = "5.7.1",
        ["filter.rejected"] = "5.7.1",
        ["list.post-denied"] = "5.7.2",
        ["peer.auth-failed"] = "4.7.0",
        ["peer.not-authenticated"] = "4.7.0",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The status code for a failed recipient: its code's, else 4.0.0 or 5.0.0 as it is temporary or not.</summary>
    /// <param name="recipient">The recipient and its failure.</param>
    public static string For(FailedRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (recipient.Code is not null && _codes.TryGetValue(recipient.Code, out var status))
        {
            return status;
        }

        // An SMTP server's own enhanced status code (RFC 3463), carried as smtp.X.Y.Z.
        if (recipient.Code is { } code && code.StartsWith("smtp.", StringComparison.Ordinal) && IsEnhancedStatus(code.AsSpan(5)))
        {
            return code[5..];
        }

        return recipient.Temporary ? "4.0.0" : "5.0.0";
    }

    private static bool IsEnhancedStatus(ReadOnlySpan<char> text)
    {
        // class.subject.detail: 2, 4 or 5, then one to three digits, then one to three digits.
        var parts = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || ++parts > 2)
                {
                    return false;
                }

                digits = 0;
            }
            else if (char.IsAsciiDigit(c) && ++digits <= 3)
            {
                continue;
            }
            else
            {
                return false;
            }
        }

        return parts == 2 && digits > 0 && text[0] is '2' or '4' or '5';
    }
}
