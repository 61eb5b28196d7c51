using Butterfly.Storage.Internal;
using Butterfly.TestUtilities;

namespace Butterfly.Storage.Tests;

/// <summary>
/// The SQLite search store's own: its FTS5 rows, the backlog of an upgraded file, the query language and
/// subject keys (what every store must do is in Conformance/SearchStoreConformance).
/// </summary>
public sealed class SearchStoreTests
{
    private static readonly string Schema3Database = Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade-schema-3", "butterfly.db");

    [Fact]
    public async Task Index_ContentStoredOnceInTwoAccounts_OneRowGoneWithTheContent()
    {
        await using var fixture = await StoreFixture.CreateAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var commit = new DeliveryCommit(TestMessages.Received)
        {
            Copies =
            [
                new ContentCopies(
                    TestMessages.Bytes("Harbour"),
                    TestMessages.Summary("Harbour") with { Text = new ContentText("The ferry leaves at dawn.", ["timetable.pdf"], null, []) },
                    [new DeliveryTarget(alice.Id, "Inbox", MessageFlags.None), new DeliveryTarget(bob.Id, "Inbox", MessageFlags.None)]),
            ],
        };
        await fixture.Store.DeliverAsync(commit);

        // FTS5 keeps one row per content, whoever has copies (the conformance suite checks what each account finds).
        Assert.Single((await SearchAsync(fixture, bob.Id, "ferry")).Messages);
        Assert.Equal(1, Database.Scalar(fixture, "SELECT COUNT(*) FROM search"));
        foreach (var account in new[] { alice.Id, bob.Id })
        {
            var trashed = (await fixture.Store.Messages.DeleteAsync(account, "Inbox", [1])).Value!.Trashed[1];
            await fixture.Store.Messages.DeleteAsync(account, "Trash", [trashed]);
        }

        Assert.Equal(0, Database.Scalar(fixture, "SELECT COUNT(*) FROM search"));
        Database.AssertInvariants(fixture);
    }

    [Fact]
    public async Task IndexPendingAsync_OldMailInBatches_ResumesAfterReopenAndFindsIt()
    {
        using var directory = new TempDirectory("butterfly-search-backlog");
        File.Copy(Schema3Database, directory.Combine("butterfly.db"));
        await using var fixture = await StoreFixture.OpenExistingAsync(directory);
        var search = fixture.Store.Search;
        var total = await search.PendingCountAsync();
        Assert.Equal(Database.Scalar(fixture, "SELECT COUNT(*) FROM contents WHERE summarized = 1"), total);
        Assert.True(total > 2);

        var first = await search.PendingAsync(2);
        await search.IndexPendingAsync([.. first.Select(p => (p.ContentId, ContentText.Empty))]);
        Assert.Equal(total - 2, await search.PendingCountAsync());

        // A restart carries on with the rest, oldest first, and never indexes one twice.
        await fixture.ReopenAsync();
        search = fixture.Store.Search;
        var rest = await search.PendingAsync(100);
        Assert.Equal(total - 2, rest.Count);
        Assert.DoesNotContain(rest, p => first.Any(f => f.ContentId == p.ContentId));
        await search.IndexPendingAsync([.. rest.Select(p => (p.ContentId, ContentText.Empty))]);
        await search.IndexPendingAsync([.. rest.Select(p => (p.ContentId, ContentText.Empty))]);
        Assert.Equal(0, await search.PendingCountAsync());
        Assert.Equal(total, Database.Scalar(fixture, "SELECT COUNT(*) FROM search"));

        var bob = (await fixture.Store.Accounts.FindAsync("bob@a.example"))!;
        Assert.Equal(["Minutes"], (await SearchAsync(fixture, bob.Id, "subject:minutes")).Messages.Select(m => m.Summary.Subject));
        Database.AssertInvariants(fixture);
    }

    [Theory]
    [InlineData("hello", "\"hello\"")]
    [InlineData("\"quick brown\" fox", "\"quick brown\" AND \"fox\"")]
    [InlineData("from:\"Ann Lee\" to:bob subject:plans", "sender : \"Ann Lee\" AND recipients : \"bob\" AND subject : \"plans\"")]
    [InlineData("say\"hi OR x", "\"say\"\"hi\" AND \"OR\" AND \"x\"")]
    [InlineData("http://example.org/a", "\"http://example.org/a\"")]
    public void MatchExpression_UserText_AlwaysQuotedPhrases(string query, string expected)
    {
        Assert.True(SearchQueryParser.TryParse(query, out var parsed, out var error), error);
        Assert.Equal(expected, SearchStore.MatchExpression(parsed.Terms));
    }

    [Fact]
    public void TryParse_Operators_FiltersSet()
    {
        Assert.True(SearchQueryParser.TryParse("IN:Work is:unread IS:flagged has:Attachment after:2026-01-02 before:2026-02-03", out var query, out var error), error);
        Assert.Equal("Work", query.Folder);
        Assert.Equal((MessageFlags.Flagged, MessageFlags.Seen), (query.WithFlags, query.WithoutFlags));
        Assert.True(query.HasAttachment);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), query.After);
        Assert.Equal(new DateTimeOffset(2026, 2, 3, 0, 0, 0, TimeSpan.Zero), query.Before);
        Assert.Empty(query.Terms);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\"open", "not closed")]
    [InlineData("from:", "needs a value")]
    [InlineData("is:maybe", "is:maybe")]
    [InlineData("has:wings", "has:wings")]
    [InlineData("before:2026-13-01", "YYYY-MM-DD")]
    [InlineData("after:yesterday", "YYYY-MM-DD")]
    [InlineData("*** ---", "no letters or digits")]
    public void TryParse_Malformed_SaysWhy(string query, string because)
    {
        Assert.False(SearchQueryParser.TryParse(query, out _, out var error));
        Assert.Contains(because, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooLongOrTooManyTerms_Refused()
    {
        Assert.False(SearchQueryParser.TryParse(new string('a', SearchQueryParser.MaxLength + 1), out _, out _));
        Assert.False(SearchQueryParser.TryParse(string.Join(' ', Enumerable.Repeat("w", SearchQueryParser.MaxTerms + 1)), out _, out _));
        Assert.True(SearchQueryParser.TryParse(string.Join(' ', Enumerable.Repeat("w", SearchQueryParser.MaxTerms)), out _, out _));
    }

    [Theory]
    [InlineData("Re: Plans", "plans", true)]
    [InlineData("RE:  re: Fwd:Plans  for   May", "plans for may", true)]
    [InlineData("Re[2]: AW: Plans", "plans", true)]
    [InlineData("Plans", "plans", false)]
    [InlineData("Re: ", null, true)]
    [InlineData("Regarding: plans", "regarding: plans", false)]
    public void Normalize_ReplyPrefixes_Stripped(string subject, string? key, bool reply)
        => Assert.Equal((key, reply), SubjectKey.Normalize(subject));

    /// <summary>Searches the account with the query <paramref name="text"/>, which must parse and succeed.</summary>
    internal static async Task<SearchPage> SearchAsync(StoreFixture fixture, long account, string text)
    {
        Assert.True(SearchQueryParser.TryParse(text, out var query, out var error), error);
        var result = await fixture.Store.Search.SearchAsync(account, query, 50);
        Assert.True(result.Ok, result.Detail);
        return result.Value!;
    }
}
