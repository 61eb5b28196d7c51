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

    /// <summary>A commit that stores one message into <paramref name="targets"/>.</summary>
    public static DeliveryCommit Delivery(string subject, params DeliveryTarget[] targets)
        => new(Received) { Copies = [new ContentCopies(Bytes(subject), Summary(subject), targets)] };

    /// <summary>Commits <paramref name="commit"/>, which must succeed, and gives the copies it stored.</summary>
    public static async Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(this MailStore store, DeliveryCommit commit)
    {
        var result = await store.Deliveries.CommitAsync(commit);
        Assert.True(result.Ok, $"CommitAsync failed: {result.Detail}");
        return result.Value!.Copies;
    }
}
