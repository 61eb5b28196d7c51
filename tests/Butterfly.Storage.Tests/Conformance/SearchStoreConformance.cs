using static Butterfly.Storage.Tests.SearchMail;

namespace Butterfly.Storage.Tests;

/// <summary>
/// Search, threads and the indexing backlog, the same on every database (src/Butterfly.Storage/README.md,
/// "Contracts"; the query language is SearchQueryParser's): which words find which mail, in which order and
/// pages, with which filters; how replies join their conversation; how contents handed over without an
/// index are worked off. Each derived class runs every test on one database; a difference is a bug in one of them.
/// </summary>
public abstract class SearchStoreConformance
{
    /// <summary>Opens a new, empty store for one test.</summary>
    protected abstract Task<ConformanceFixture> OpenAsync();

    [Fact]
    public async Task SearchAsync_WordsPhrasesAndFields_FindTheRightMessages()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "Quarterly report", "The quick brown fox reviews the budget."), Day, bob.Id);
        await DeliverAsync(fixture.Store, Mail("carol", "Garden", "Tomatoes and brown beans need water."), Day.AddMinutes(1), bob.Id);

        Assert.Equal(["Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "budget"));
        Assert.Equal(["Garden", "Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "BROWN"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "\"quick brown\""));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "\"brown quick\""));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "brown budget tomatoes"));
        Assert.Equal(["Garden"], await SubjectsAsync(fixture.Store, bob.Id, "from:carol@example.org brown"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "from:alice"));
        Assert.Equal(["Garden", "Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "to:bob@example.org"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "to:alice"));
        Assert.Equal(["Garden"], await SubjectsAsync(fixture.Store, bob.Id, "subject:garden"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "subject:tomatoes"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "from:garden"));

        // A phrase stays within one field: the subject's last word and the sender's first are not one.
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "\"report alice\""));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "\"garden carol\""));

        // What would be query syntax to the database is words like any other.
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "budget OR tomatoes"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "budget) ^fox* -quick {reviews} 'the'"));
        Assert.Equal(["Quarterly report"], await SubjectsAsync(fixture.Store, bob.Id, "budget& !fox |quick:* <->brown"));
    }

    [Fact]
    public async Task SearchAsync_PunctuationAndDiacritics_WordsCutAndFoldedAlike()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(
            fixture.Store,
            Mail("alice", "Café menu", "See the well-known crème brûlée, v2.5 of the plan, at https://www.example.net/menu?id=7.", "agenda.pdf"),
            Day,
            bob.Id);

        // A word is a run of letters and digits: addresses, file names, URLs and hyphenated words are their parts.
        foreach (var query in new[]
        {
            "agenda", "pdf", "agenda.pdf", "has:attachment agenda", "from:example", "from:alice@example.org", "well", "known", "well-known",
            "\"well known\"", "v2", "5", "v2.5", "www", "net", "menu", "id", "7", "example.net/menu", "to:bob",
        })
        {
            Assert.True((await SubjectsAsync(fixture.Store, bob.Id, query)).Count == 1, $"'{query}' finds nothing");
        }

        // Latin diacritics are folded: either spelling finds either.
        foreach (var query in new[] { "cafe", "Café", "CAFÉ", "subject:cafe", "creme brulee", "\"crème brûlée\"", "brulée" })
        {
            Assert.True((await SubjectsAsync(fixture.Store, bob.Id, query)).Count == 1, $"'{query}' finds nothing");
        }

        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "agendapdf"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "caf"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "\"known well\""));
    }

    [Fact]
    public async Task DeliverAsync_ControlCharactersInText_StoredAndWordsFound()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");

        // Text a careless extractor might hand over: a NUL (which PostgreSQL's text refuses), other controls.
        await DeliverAsync(fixture.Store, Mail("alice", "Odd", "nul\0byte bell\u0007ring", "tab\tname\0.txt"), Day, bob.Id);

        foreach (var query in new[] { "nul", "byte", "bell", "ring", "tab", "name", "\"nul byte\"" })
        {
            Assert.True((await SubjectsAsync(fixture.Store, bob.Id, query)).Count == 1, $"'{query}' finds nothing");
        }
    }

    [Fact]
    public async Task SearchAsync_PagesNewestFirst_ByArrivalOfTheContent()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        for (var i = 0; i < 5; i++)
        {
            await DeliverAsync(fixture.Store, Mail("alice", $"Note {i}", $"Paging word number{i}."), Day.AddMinutes(i), bob.Id);
        }

        var seen = new List<string?>();
        long? offset = 0;
        while (offset is { } from)
        {
            var page = await SearchAsync(fixture.Store, bob.Id, "paging", limit: 2, offset: from);
            Assert.True(page.Messages.Count is 1 or 2);
            seen.AddRange(page.Messages.Select(m => m.Summary.Subject));
            offset = page.Next;
        }

        Assert.Equal(["Note 4", "Note 3", "Note 2", "Note 1", "Note 0"], seen);
        Assert.Null((await SearchAsync(fixture.Store, bob.Id, "paging", limit: 5)).Next);
        Assert.Empty((await SearchAsync(fixture.Store, bob.Id, "paging", limit: 5, offset: 5)).Messages);

        // Without words too: all folders by arrival of the content.
        Assert.Equal(["Note 4", "Note 3"], (await SearchAsync(fixture.Store, bob.Id, "is:unread", limit: 2)).Messages.Select(m => m.Summary.Subject));
    }

    [Fact]
    public async Task SearchAsync_InFolder_OnlyThereTrashAndJunkOnlyWhenNamed()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        Assert.True((await fixture.Store.Folders.CreateAsync(bob.Id, "Bills")).Ok);
        await DeliverAsync(fixture.Store, Mail("alice", "Invoice 42", "Please pay the zeppelin invoice."), Day, bob.Id);
        await DeliverAsync(fixture.Store, Mail("alice", "Invoice 43", "Another zeppelin invoice."), Day.AddMinutes(1), bob.Id);
        await DeliverAsync(fixture.Store, Mail("spam", "Cheap zeppelin", "Zeppelin rides."), Day.AddMinutes(2), (bob.Id, "Junk"));

        var moved = (await fixture.Store.Messages.MoveAsync(bob.Id, "Inbox", [1], "Bills")).Value!.Ids[1];
        var found = await SearchAsync(fixture.Store, bob.Id, "zeppelin");
        Assert.Equal([("Inbox", 2L), ("Bills", moved)], found.Messages.Select(m => (m.Folder, m.Id)));
        Assert.Equal([("Bills", moved)], (await SearchAsync(fixture.Store, bob.Id, "in:Bills zeppelin")).Messages.Select(m => (m.Folder, m.Id)));
        Assert.Equal(["Invoice 43"], await SubjectsAsync(fixture.Store, bob.Id, "in:inbox invoice"));
        Assert.Equal(["Cheap zeppelin"], await SubjectsAsync(fixture.Store, bob.Id, "in:Junk zeppelin"));

        // Deleted: in Trash, which a search leaves out unless asked; deleted from Trash: gone.
        var trashed = (await fixture.Store.Messages.DeleteAsync(bob.Id, "Bills", [moved])).Value!.Trashed[moved];
        Assert.Equal(["Invoice 43"], await SubjectsAsync(fixture.Store, bob.Id, "zeppelin"));
        Assert.Equal([trashed], (await SearchAsync(fixture.Store, bob.Id, "in:Trash zeppelin")).Messages.Select(m => m.Id));
        await fixture.Store.Messages.DeleteAsync(bob.Id, "Trash", [trashed]);
        Assert.Empty((await SearchAsync(fixture.Store, bob.Id, "in:Trash zeppelin")).Messages);

        var missing = await fixture.Store.Search.SearchAsync(bob.Id, Parse("in:Nowhere zeppelin"), 10);
        Assert.Equal(StoreError.FolderNotFound, missing.Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Search.SearchAsync(bob.Id, Parse("in:Nowhere"), 10)).Error);
    }

    [Fact]
    public async Task SearchAsync_InFolderWithoutWords_ByTheFoldersIds()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "Older", "first word"), Day, (bob.Id, "Sent"));
        await DeliverAsync(fixture.Store, Mail("alice", "Newer", "second word"), Day.AddMinutes(1), bob.Id);

        // The older content moved into Inbox later has the higher id there.
        await fixture.Store.Messages.MoveAsync(bob.Id, "Sent", [1], "Inbox");
        Assert.Equal(["Older", "Newer"], (await SearchAsync(fixture.Store, bob.Id, "in:Inbox")).Messages.Select(m => m.Summary.Subject));
        Assert.Equal(["Older", "Newer"], await SubjectsAsync(fixture.Store, bob.Id, "in:Inbox is:unread"));

        // With words, by the arrival of the content, as everywhere.
        Assert.Equal(["Newer", "Older"], await SubjectsAsync(fixture.Store, bob.Id, "in:Inbox word"));
    }

    [Fact]
    public async Task SearchAsync_FlagsAttachmentsAndDates_Filter()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "March", "monthly letter"), new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.Zero), bob.Id);
        await DeliverAsync(fixture.Store, Mail("alice", "April", "monthly letter", "report.xlsx"), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), bob.Id);
        await DeliverAsync(fixture.Store, Mail("alice", "May", "monthly letter"), new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.Zero), bob.Id);
        await fixture.Store.Messages.ChangeFlagsAsync(bob.Id, "Inbox", [1], MessageFlags.Seen | MessageFlags.Flagged, MessageFlags.None);
        await fixture.Store.Messages.ChangeFlagsAsync(bob.Id, "Inbox", [3], MessageFlags.Seen, MessageFlags.None);

        Assert.Equal(["May", "March"], await SubjectsAsync(fixture.Store, bob.Id, "monthly is:read"));
        Assert.Equal(["April"], await SubjectsAsync(fixture.Store, bob.Id, "is:unread"));
        Assert.Equal(["March"], await SubjectsAsync(fixture.Store, bob.Id, "is:read is:flagged"));
        Assert.Equal(["May", "April"], await SubjectsAsync(fixture.Store, bob.Id, "letter is:unflagged"));
        Assert.Equal(["April"], await SubjectsAsync(fixture.Store, bob.Id, "has:attachment"));
        Assert.Equal(["April"], await SubjectsAsync(fixture.Store, bob.Id, "report"));

        // UTC days of the date received: after: from the day's start, before: up to it.
        Assert.Equal(["May", "April"], await SubjectsAsync(fixture.Store, bob.Id, "after:2026-04-01"));
        Assert.Equal(["March"], await SubjectsAsync(fixture.Store, bob.Id, "letter before:2026-04-01"));
        Assert.Equal(["April"], await SubjectsAsync(fixture.Store, bob.Id, "after:2026-04-01 before:2026-05-02"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "after:2026-05-03"));
    }

    [Fact]
    public async Task SearchAsync_ContentStoredOnceInTwoAccounts_FoundByEachAlone()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var carol = await fixture.CreateAccountAsync("carol@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "Harbour", "The ferry leaves at dawn.", "timetable.pdf"), Day, (alice.Id, "Sent"), (bob.Id, "Inbox"));

        Assert.Equal("Sent", Assert.Single((await SearchAsync(fixture.Store, alice.Id, "ferry timetable")).Messages).Folder);
        Assert.Equal("Inbox", Assert.Single((await SearchAsync(fixture.Store, bob.Id, "ferry has:attachment")).Messages).Folder);
        Assert.Empty((await SearchAsync(fixture.Store, carol.Id, "ferry")).Messages);
        Assert.Empty((await SearchAsync(fixture.Store, bob.Id, "\"dawn timetable\"")).Messages);

        // Deleted from both accounts (Trash, then for good): the content and its threads go.
        foreach (var (account, folder) in new[] { (alice.Id, "Sent"), (bob.Id, "Inbox") })
        {
            var trashed = (await fixture.Store.Messages.DeleteAsync(account, folder, [1])).Value!.Trashed[1];
            await fixture.Store.Messages.DeleteAsync(account, "Trash", [trashed]);
            Assert.Empty((await SearchAsync(fixture.Store, account, "in:Trash ferry")).Messages);
        }

        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM contents"));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM threads"));
    }

    [Fact]
    public async Task SearchAsync_AppendedImportedCopiedReplacedEmptied_FoundWhereTheyAre()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var messages = fixture.Store.Messages;
        var (sentBytes, sentSummary) = Mail("bob", "Kayak trip", "Paddles and lifejackets.", id: "kayak-1");
        var (importBytes, importSummary) = Mail("alice", "Re: Kayak trip", "Count me in, bring snacks.", id: "kayak-2", inReplyTo: "kayak-1");
        var (draftBytes, draftSummary) = Mail("bob", "Packing", "Tent, stove.");
        var (newDraftBytes, newDraftSummary) = Mail("bob", "Packing", "Tent, stove, compass.");
        var sent = (await messages.AppendAsync(bob.Id, "Sent", sentBytes, sentSummary, MessageFlags.Seen, Day)).Value!;
        var imported = (await messages.ImportAsync(bob.Id, "Inbox", importBytes, importSummary, MessageFlags.None, Day.AddMinutes(1))).Value!;
        var draft = (await messages.AppendAsync(bob.Id, "Drafts", draftBytes, draftSummary, MessageFlags.Draft, Day.AddMinutes(2))).Value!;

        Assert.Equal([("Sent", sent.Id)], (await SearchAsync(fixture.Store, bob.Id, "lifejackets")).Messages.Select(m => (m.Folder, m.Id)));
        Assert.Equal([("Inbox", imported.Id)], (await SearchAsync(fixture.Store, bob.Id, "snacks")).Messages.Select(m => (m.Folder, m.Id)));
        Assert.Equal(["Kayak trip", "Re: Kayak trip"], (await fixture.Store.Search.ThreadAsync(bob.Id, "Inbox", imported.Id)).Value!.Select(m => m.Summary.Subject));

        // A replaced draft is found in its new version only.
        var replaced = (await messages.ReplaceAsync(bob.Id, "Drafts", draft.Id, newDraftBytes, newDraftSummary, MessageFlags.Draft, Day.AddMinutes(3))).Value!;
        Assert.Equal([replaced.Id], (await SearchAsync(fixture.Store, bob.Id, "stove")).Messages.Select(m => m.Id));
        Assert.Equal([replaced.Id], (await SearchAsync(fixture.Store, bob.Id, "compass")).Messages.Select(m => m.Id));

        // A copy is found in both folders; an emptied folder's messages nowhere.
        Assert.True((await fixture.Store.Folders.CreateAsync(bob.Id, "Trips")).Ok);
        var copied = (await messages.CopyAsync(bob.Id, "Inbox", [imported.Id], "Trips")).Value!.Ids[imported.Id];
        Assert.Equal([("Inbox", imported.Id), ("Trips", copied)], (await SearchAsync(fixture.Store, bob.Id, "snacks")).Messages.Select(m => (m.Folder, m.Id)));
        Assert.Equal(2, (await fixture.Store.Search.ThreadAsync(bob.Id, "Trips", copied)).Value!.Count(m => m.Summary.Subject == "Re: Kayak trip"));
        await messages.EmptyFolderAsync(bob.Id, "Inbox");
        Assert.Equal([("Trips", copied)], (await SearchAsync(fixture.Store, bob.Id, "snacks")).Messages.Select(m => (m.Folder, m.Id)));
        await messages.EmptyFolderAsync(bob.Id, "Trips");
        Assert.Empty((await SearchAsync(fixture.Store, bob.Id, "snacks")).Messages);
        Assert.Equal(["Kayak trip"], (await fixture.Store.Search.ThreadAsync(bob.Id, "Sent", sent.Id)).Value!.Select(m => m.Summary.Subject));
    }

    [Fact]
    public async Task ThreadAsync_RepliesByHeadersAndBySubject_JoinTheirOriginal()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "Plans", "Shall we hike on Sunday?", id: "plans-1"), Day, (alice.Id, "Sent"), (bob.Id, "Inbox"));
        await DeliverAsync(fixture.Store, Mail("bob", "Re: Plans", "Yes, at nine.", id: "plans-2", inReplyTo: "plans-1"), Day.AddMinutes(1), (bob.Id, "Sent"), (alice.Id, "Inbox"));
        await DeliverAsync(fixture.Store, Mail("alice", "RE: plans", "Nine it is.", id: "plans-3"), Day.AddMinutes(2), (alice.Id, "Sent"), (bob.Id, "Inbox"));
        await DeliverAsync(fixture.Store, Mail("carol", "Plans", "Unrelated plans, same subject, no Re:.", id: "other"), Day.AddMinutes(3), bob.Id);
        await DeliverAsync(fixture.Store, Mail("dave", "Re: Plans", "A reply to something else.", id: "dave-1", inReplyTo: "unknown"), Day.AddMinutes(4), bob.Id);

        var thread = (await fixture.Store.Search.ThreadAsync(bob.Id, "inbox", 1)).Value!;
        Assert.Equal([("Plans", "Inbox"), ("Re: Plans", "Sent"), ("RE: plans", "Inbox")], thread.Select(m => (m.Summary.Subject, m.Folder)));
        Assert.Equal(thread.Select(m => m.Id), (await fixture.Store.Search.ThreadAsync(bob.Id, "Sent", 1)).Value!.Select(m => m.Id));
        Assert.Equal([3L], (await fixture.Store.Search.ThreadAsync(bob.Id, "Inbox", 3)).Value!.Select(m => m.Id));
        Assert.Equal([4L], (await fixture.Store.Search.ThreadAsync(bob.Id, "Inbox", 4)).Value!.Select(m => m.Id));

        // Alice sees the same conversation from her side.
        var aliceThread = (await fixture.Store.Search.ThreadAsync(alice.Id, "Sent", 1)).Value!;
        Assert.Equal(["Sent", "Inbox", "Sent"], aliceThread.Select(m => m.Folder));

        // A copy moved to another folder stays in its thread.
        var moved = (await fixture.Store.Folders.CreateAsync(bob.Id, "Hikes")).Ok
            ? (await fixture.Store.Messages.MoveAsync(bob.Id, "Inbox", [2], "Hikes")).Value!.Ids[2]
            : throw new InvalidOperationException("no folder");
        Assert.Equal(["Inbox", "Sent", "Hikes"], (await fixture.Store.Search.ThreadAsync(bob.Id, "Hikes", moved)).Value!.Select(m => m.Folder));

        Assert.Equal(StoreError.MessageNotFound, (await fixture.Store.Search.ThreadAsync(bob.Id, "Inbox", 999)).Error);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Search.ThreadAsync(bob.Id, "Nowhere", 1)).Error);
        Assert.Equal(StoreError.MessageNotFound, (await fixture.Store.Search.ThreadAsync(alice.Id, "Inbox", 3)).Error);
    }

    [Fact]
    public async Task ListThreadsAsync_OneEntryPerThread_NewestFirstInPages()
    {
        await using var fixture = await OpenAsync();
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        await DeliverAsync(fixture.Store, Mail("alice", "Plans", "Sunday?", id: "plans-1"), Day, bob.Id);
        await DeliverAsync(fixture.Store, Mail("carol", "Lunch", "Noon?", id: "lunch-1"), Day.AddMinutes(1), bob.Id);
        await DeliverAsync(fixture.Store, Mail("alice", "Re: Plans", "Nine.", id: "plans-2", inReplyTo: "plans-1"), Day.AddMinutes(2), bob.Id);
        await DeliverAsync(fixture.Store, Mail("dave", "Books", "Read this.", id: "books-1"), Day.AddMinutes(3), bob.Id);
        await fixture.Store.Messages.ChangeFlagsAsync(bob.Id, "Inbox", [1], MessageFlags.Seen, MessageFlags.None);

        var all = (await fixture.Store.Search.ListThreadsAsync(bob.Id, "INBOX", 10)).Value!;
        Assert.Equal("Inbox", all.Folder);
        Assert.Null(all.Next);
        Assert.Equal([("Books", 1L, 1L), ("Re: Plans", 2L, 1L), ("Lunch", 1L, 1L)], all.Threads.Select(t => (t.Latest.Summary.Subject, t.Messages, t.Unseen)));
        Assert.Equal(3, all.Threads.Select(t => t.ThreadId).Distinct().Count());
        Assert.Equal(
            all.Threads[1].Latest.Id,
            (await fixture.Store.Search.ThreadAsync(bob.Id, "Inbox", 1)).Value!.Select(m => m.Id).Last());

        var first = (await fixture.Store.Search.ListThreadsAsync(bob.Id, "Inbox", 2)).Value!;
        Assert.Equal(["Books", "Re: Plans"], first.Threads.Select(t => t.Latest.Summary.Subject));
        Assert.Equal(2, first.Next);
        var second = (await fixture.Store.Search.ListThreadsAsync(bob.Id, "Inbox", 2, first.Next!.Value)).Value!;
        Assert.Equal(["Lunch"], second.Threads.Select(t => t.Latest.Summary.Subject));
        Assert.Null(second.Next);

        Assert.Empty((await fixture.Store.Search.ListThreadsAsync(bob.Id, "Drafts", 10)).Value!.Threads);
        Assert.Equal(StoreError.FolderNotFound, (await fixture.Store.Search.ListThreadsAsync(bob.Id, "Nowhere", 10)).Error);
    }

    [Fact]
    public async Task IndexPendingAsync_HandedOverContents_InBatchesResumingAfterReopen()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        var bob = await fixture.CreateAccountAsync("bob@example.org");
        var mails = new List<(byte[] Bytes, ContentSummary Summary)>
        {
            Mail("alice", "Minutes", "The board met.", id: "minutes-1"),
            Mail("bob", "Re: Minutes", "Thanks.", "notes.txt", id: "minutes-2", inReplyTo: "minutes-1"),
            Mail("carol", "Lunch", "Noon?", id: "lunch-1"),
            Mail("dave", "Gone", "Deleted before indexing.", id: "gone-1"),
        };
        for (var i = 0; i < mails.Count; i++)
        {
            await DeliverAsync(fixture.Store, mails[i], Day.AddMinutes(i), (bob.Id, "Inbox"), (alice.Id, "Inbox"));
        }

        await fixture.UnindexAllAsync();
        await fixture.ReopenAsync();
        var search = fixture.Store.Search;
        Assert.Equal(4, await search.PendingCountAsync());
        Assert.Empty((await SearchAsync(fixture.Store, bob.Id, "board")).Messages);

        // Oldest first, with their bytes; the caller extracts the text (here: the test's own).
        var first = await search.PendingAsync(2);
        Assert.Equal([mails[0].Bytes, mails[1].Bytes], first.Select(p => p.Data.ToArray()));
        await search.IndexPendingAsync([.. first.Select(p => (p.ContentId, TextOf(mails, p)))]);
        Assert.Equal(2, await search.PendingCountAsync());
        Assert.Equal(["Minutes"], await SubjectsAsync(fixture.Store, bob.Id, "board"));
        Assert.Equal(["Re: Minutes"], await SubjectsAsync(fixture.Store, alice.Id, "has:attachment"));
        Assert.Equal(["Minutes", "Re: Minutes"], (await search.ThreadAsync(bob.Id, "Inbox", 1)).Value!.Select(m => m.Summary.Subject));
        Assert.Equal(["Minutes", "Re: Minutes"], (await search.ThreadAsync(alice.Id, "Inbox", 2)).Value!.Select(m => m.Summary.Subject));

        // A content not reached yet is a thread of its own; one deleted meanwhile is skipped.
        Assert.Equal(["Lunch"], (await search.ThreadAsync(bob.Id, "Inbox", 3)).Value!.Select(m => m.Summary.Subject));
        Assert.Equal(3, (await search.ListThreadsAsync(bob.Id, "Inbox", 10)).Value!.Threads.Count);
        await fixture.ReopenAsync();
        search = fixture.Store.Search;
        var rest = await search.PendingAsync(100);
        Assert.Equal([mails[2].Bytes, mails[3].Bytes], rest.Select(p => p.Data.ToArray()));
        foreach (var account in new[] { bob.Id, alice.Id })
        {
            var trashed = (await fixture.Store.Messages.DeleteAsync(account, "Inbox", [4])).Value!.Trashed[4];
            await fixture.Store.Messages.DeleteAsync(account, "Trash", [trashed]);
        }

        await search.IndexPendingAsync([.. rest.Select(p => (p.ContentId, TextOf(mails, p)))]);
        await search.IndexPendingAsync([.. rest.Select(p => (p.ContentId, TextOf(mails, p)))]);
        Assert.Equal(0, await search.PendingCountAsync());
        Assert.Empty(await search.PendingAsync(10));
        Assert.Equal(["Lunch"], await SubjectsAsync(fixture.Store, bob.Id, "noon"));
        Assert.Empty(await SubjectsAsync(fixture.Store, bob.Id, "deleted"));
        Assert.Equal(2, (await search.ListThreadsAsync(bob.Id, "Inbox", 10)).Value!.Threads.Count);

        // New mail after the backlog is worked off threads with the old (a reply to the minutes).
        await DeliverAsync(fixture.Store, Mail("alice", "Re: Minutes", "One more thing.", id: "minutes-3", inReplyTo: "minutes-2"), Day.AddHours(1), bob.Id);
        Assert.Equal(3, (await search.ThreadAsync(bob.Id, "Inbox", 5)).Value!.Count);
        Assert.Equal(0, await search.PendingCountAsync());
    }

    [Fact]
    public async Task PendingAsync_MailStoredByTheStore_NeverPending()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");
        await DeliverAsync(fixture.Store, Mail("bob", "Fresh", "Indexed by the store itself."), Day, alice.Id);
        await fixture.ReopenAsync();

        Assert.Equal(0, await fixture.Store.Search.PendingCountAsync());
        Assert.Empty(await fixture.Store.Search.PendingAsync(10));
        Assert.Equal(["Fresh"], await SubjectsAsync(fixture.Store, alice.Id, "itself"));
        await fixture.Store.Search.IndexPendingAsync([]);
    }

    [Fact]
    public async Task SearchAsync_RightAfterEachDelivery_FindsIt()
    {
        await using var fixture = await OpenAsync();
        var alice = await fixture.CreateAccountAsync("alice@example.org");

        // 16 senders at once, each searching for its own word as soon as its delivery is acknowledged.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async sender =>
        {
            for (var i = 0; i < 8; i++)
            {
                var word = $"w{sender}x{i}";
                var copies = await DeliverAsync(fixture.Store, Mail("bob", word, $"The body says {word}."), Day, alice.Id);
                Assert.Equal([copies[0].Id], (await SearchAsync(fixture.Store, alice.Id, word)).Messages.Select(m => m.Id));
            }
        }));

        Assert.Equal(0, await fixture.ScalarAsync("SELECT COUNT(*) FROM search_pending"));
        Assert.Equal(0, await fixture.Store.Search.PendingCountAsync());
    }
}
