using System.Text;

namespace Butterfly.Storage.Tests;

/// <summary>Message bytes and summaries for tests.</summary>
internal static class TestMessages
{
    public static readonly DateTimeOffset Received = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Bytes(string subject, int padding = 0)
        => Encoding.UTF8.GetBytes(
            $"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: {subject}\r\n\r\nHello{new string('x', padding)}\r\n");

    public static ContentSummary Summary(string subject)
        => new("alice@example.org", ["bob@example.org"], [], subject, Received, $"<{subject}@example.org>");

    public static Delivery Delivery(string subject, params DeliveryTarget[] targets)
        => new(Bytes(subject), Summary(subject), targets, Received);
}
