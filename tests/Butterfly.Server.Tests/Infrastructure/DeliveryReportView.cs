using MimeKit;

namespace Butterfly.Server.Tests.Infrastructure;

/// <summary>
/// A bounce or delay notice as MimeKit reads it back: an RFC 3464 report of three parts (text,
/// message/delivery-status, text/rfc822-headers). Parsing asserts the structure.
/// </summary>
/// <param name="Message">The whole notice.</param>
/// <param name="Text">The human-readable part.</param>
/// <param name="PerMessage">The per-message fields of the status part.</param>
/// <param name="Recipients">One group of fields per recipient.</param>
/// <param name="HeadersPart">The text/rfc822-headers part, with the original's header fields.</param>
internal sealed record DeliveryReportView(
    MimeMessage Message,
    string Text,
    HeaderList PerMessage,
    IReadOnlyList<HeaderList> Recipients,
    TextRfc822Headers HeadersPart)
{
    /// <summary>The original's header fields.</summary>
    public HeaderList OriginalHeaders => HeadersPart.Message?.Headers ?? throw new InvalidOperationException("The text/rfc822-headers part is empty.");

    /// <summary>Reads <paramref name="bytes"/> with MimeKit and checks the report's shape.</summary>
    public static DeliveryReportView Parse(ReadOnlyMemory<byte> bytes)
    {
        using var stream = new MemoryStream(bytes.ToArray());
        var message = MimeMessage.Load(stream);
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        var text = Assert.IsType<TextPart>(report[0]);
        Assert.True(text.IsPlain);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);

        // MimeKit reads the blank line after the last group as one more, empty group.
        var groups = status.StatusGroups.Where(g => g.Count > 0).ToList();
        var headers = Assert.IsType<TextRfc822Headers>(report[2]);
        return new DeliveryReportView(message, text.Text, groups[0], groups.Skip(1).ToList(), headers);
    }

    /// <summary>The fields about <paramref name="address"/>.</summary>
    public HeaderList Recipient(string address) =>
        Assert.Single(Recipients, g => g["Final-Recipient"] == "rfc822; " + address);
}
