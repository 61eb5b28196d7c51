using System.Text.Json;
using Butterfly.Protocol.Contracts;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Contracts;

/// <summary>The contract types serialise with the member names protocol/client.md shows.</summary>
public sealed class ContractJsonTests
{
    [Fact]
    public void Serialize_FolderDto_UsesClientMdMemberNames()
    {
        var json = JsonSerializer.Serialize(new FolderDto("Inbox", 2, 1, 3, 41), ProtocolJson.Default.FolderDto);

        // client.md, "folder.list".
        Assert.Equal("""{"name":"Inbox","messages":2,"unseen":1,"nextId":3,"modseq":41}""", json);
    }

    [Fact]
    public void Serialize_MessageDto_UsesClientMdMemberNames()
    {
        var dto = new MessageDto(
            3, "Inbox", "Bob <bob@example.org>", ["alice@example.org"], [], "Lunch?",
            new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 21, 12, 0, 1, TimeSpan.Zero),
            812, [FlagNames.Seen], 40);

        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(dto, ProtocolJson.Default.MessageDto));

        // client.md, "message.list".
        Assert.Equal(
            ["id", "folder", "from", "to", "cc", "subject", "date", "received", "size", "flags", "modseq"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Deserialize_FolderDtoFromClientMdExample_ReadsEveryField()
    {
        var dto = JsonSerializer.Deserialize(
            """{"name": "Archive/2026", "messages": 0, "unseen": 0, "nextId": 1, "modseq": 12}""", ProtocolJson.Default.FolderDto);

        Assert.Equal(new FolderDto("Archive/2026", 0, 0, 1, 12), dto);
    }

    [Fact]
    public void Commands_EveryName_HasASectionInClientMd()
    {
        var sections = File.ReadAllLines(RepoPaths.ClientDocument)
            .Where(l => l.StartsWith("## ", StringComparison.Ordinal))
            .SelectMany(l => l[3..].Split('/', StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        var names = typeof(Commands).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

        // filter.* commands are specified in protocol/filter.md, each under its own "## " heading.
        var filterSections = File.ReadAllLines(Path.Combine(RepoPaths.Root, "protocol", "filter.md"))
            .Where(l => l.StartsWith("## ", StringComparison.Ordinal))
            .SelectMany(l => l[3..].Split('/', StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(names.Where(n => n.StartsWith("filter.", StringComparison.Ordinal)), n => Assert.True(filterSections.Contains(n), $"filter.md has no section for '{n}'"));
        names = names.Where(n => !n.StartsWith("filter.", StringComparison.Ordinal)).ToArray();

        // peer.* commands are specified in protocol/peer.md, each under its own "## " heading.
        var peerSections = File.ReadAllLines(Path.Combine(RepoPaths.Root, "protocol", "peer.md"))
            .Where(l => l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => l[3..].Trim())
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(names.Where(n => n.StartsWith("peer.", StringComparison.Ordinal)), n => Assert.True(peerSections.Contains(n), $"peer.md has no section for '{n}'"));
        names = names.Where(n => !n.StartsWith("peer.", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.True(sections.Contains(n), $"client.md has no section for '{n}'"));
    }

    [Fact]
    public void FlagNames_All_AreKnownAndDistinct()
    {
        Assert.Equal(4, FlagNames.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(FlagNames.All, f => Assert.True(FlagNames.IsKnown(f)));
        Assert.False(FlagNames.IsKnown("Seen"));
        Assert.False(FlagNames.IsKnown(null));
    }
}
