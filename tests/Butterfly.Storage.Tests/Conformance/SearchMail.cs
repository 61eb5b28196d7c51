using System.Text;

namespace Butterfly.Storage.Tests;

/// <summary>Mail for search tests, delivered and searched for through the stores under test.</summary>
internal static class SearchMail
{
    /// <summary>The day the test mail is dated and, unless a test says otherwise, received.</summary>
    public static readonly DateTimeOffset Day = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A message from <paramref name="from"/>@example.org to bob@example.org: its bytes and summary with the text the index takes.</summary>
    public static (byte[] Bytes, ContentSummary Summary) Mail(
        string from, string subject, string body, string? attachment = null, string? id = null, string? inReplyTo = null)
    {
        var messageId = $"{id ?? Guid.NewGuid().ToString("N")}@example.org";
        var bytes = Encoding.UTF8.GetBytes($"From: {from}@example.org\r\nTo: bob@example.org\r\nSubject: {subject}\r\nMessage-ID: <{messageId}>\r\n\r\n{body}\r\n");
        var text = new ContentText(body, attachment is null ? [] : [attachment], inReplyTo is null ? null : $"{inReplyTo}@example.org", inReplyTo is null ? [] : [$"{inReplyTo}@example.org"]);
        return (bytes, new ContentSummary($"{from}@example.org", ["bob@example.org"], [], subject, Day, messageId) { Text = text });
    }

    /// <summary>Delivers <paramref name="mail"/> at <paramref name="received"/> into each account's Inbox.</summary>
    public static Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(StoreUnderTest store, (byte[] Bytes, ContentSummary Summary) mail, DateTimeOffset received, params long[] accounts)
        => DeliverAsync(store, mail, received, [.. accounts.Select(a => (a, "Inbox"))]);

    /// <summary>Delivers <paramref name="mail"/> at <paramref name="received"/> into each (account, folder).</summary>
    public static Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(
        StoreUnderTest store, (byte[] Bytes, ContentSummary Summary) mail, DateTimeOffset received, params (long Account, string Folder)[] targets)
        => store.DeliverAsync(new DeliveryCommit(received)
        {
            Copies = [new ContentCopies(mail.Bytes, mail.Summary, [.. targets.Select(t => new DeliveryTarget(t.Account, t.Folder, MessageFlags.None))])],
        });

    /// <summary>Searches the account with the query <paramref name="text"/>, which must parse and succeed.</summary>
    public static async Task<SearchPage> SearchAsync(StoreUnderTest store, long account, string text, int limit = 50, long offset = 0)
    {
        var result = await store.Search.SearchAsync(account, Parse(text), limit, offset);
        Assert.True(result.Ok, result.Detail);
        return result.Value!;
    }

    /// <summary>The subjects <see cref="SearchAsync"/> finds, in its order.</summary>
    public static async Task<List<string?>> SubjectsAsync(StoreUnderTest store, long account, string text)
        => [.. (await SearchAsync(store, account, text)).Messages.Select(m => m.Summary.Subject)];

    /// <summary>The query <paramref name="text"/>, which must parse.</summary>
    public static SearchQuery Parse(string text)
    {
        Assert.True(SearchQueryParser.TryParse(text, out var query, out var error), error);
        return query;
    }

    /// <summary>The text of the mail among <paramref name="mails"/> whose bytes <paramref name="pending"/> holds, as the daemon would extract it.</summary>
    public static ContentText TextOf(List<(byte[] Bytes, ContentSummary Summary)> mails, PendingContent pending)
        => mails.Single(m => m.Bytes.AsSpan().SequenceEqual(pending.Data.Span)).Summary.Text!;
}
