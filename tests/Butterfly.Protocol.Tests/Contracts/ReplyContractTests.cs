using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Butterfly.Protocol.Contracts;
using Xunit;

namespace Butterfly.Protocol.Tests.Contracts;

/// <summary>
/// The reply contracts write exactly the heads the server wrote by hand before them (and
/// protocol/*.md shows): member names and order, <c>ok</c> first, which members are left out
/// when null and which are written as null, timestamps and id maps.
/// </summary>
public sealed class ReplyContractTests
{
    private static readonly DateTimeOffset _received = new(2026, 11, 29, 10, 0, 1, 500, TimeSpan.Zero);

    public static TheoryData<string, string> Heads() => new()
    {
        { Json(new ErrorReply("folder.not-found", "No such folder: Archive/2025"), ProtocolJson.Default.ErrorReply), """{"ok":false,"code":"folder.not-found","message":"No such folder: Archive/2025"}""" },
        { Json(new UserReply("alice@example.org"), ProtocolJson.Default.UserReply), """{"ok":true,"user":"alice@example.org"}""" },
        { Json(new FolderReply("Archive/2026"), ProtocolJson.Default.FolderReply), """{"ok":true,"folder":"Archive/2026"}""" },
        { Json(new FolderDeleteReply(["a", "a/b"], 3), ProtocolJson.Default.FolderDeleteReply), """{"ok":true,"deleted":["a","a/b"],"messages":3}""" },
        { Json(new MessageListReply("Inbox", 0, null, []), ProtocolJson.Default.MessageListReply), """{"ok":true,"folder":"Inbox","total":0,"next":null,"messages":[]}""" },
        { Json(new MessageFetchReply("Inbox", 7, 812, ["seen"], _received, 41), ProtocolJson.Default.MessageFetchReply), """{"ok":true,"folder":"Inbox","id":7,"size":812,"flags":["seen"],"received":"2026-11-29T10:00:01.5+00:00","modseq":41}""" },
        { Json(new MessageStoreReply("Drafts", 4), ProtocolJson.Default.MessageStoreReply), """{"ok":true,"folder":"Drafts","id":4}""" },
        { Json(new MessageStoreReply("Drafts", 5, 4), ProtocolJson.Default.MessageStoreReply), """{"ok":true,"folder":"Drafts","id":5,"replaced":4}""" },
        { Json(new MessageTransferReply("Archive", new Dictionary<long, long> { [3] = 10, [5] = 11 }), ProtocolJson.Default.MessageTransferReply), """{"ok":true,"folder":"Archive","ids":{"3":10,"5":11}}""" },
        { Json(new MessageDeleteReply(new Dictionary<long, long> { [2] = 9 }, [4]), ProtocolJson.Default.MessageDeleteReply), """{"ok":true,"trashed":{"2":9},"expunged":[4]}""" },
        { Json(new MessageFlagsReply([new FlagStateDto(1, ["seen", "flagged"], 44)]), ProtocolJson.Default.MessageFlagsReply), """{"ok":true,"messages":[{"id":1,"flags":["seen","flagged"],"modseq":44}]}""" },
        { Json(new SendReply("<m@example.org>", new SentCopyDto("Sent", 2), [new RecipientStatusDto("bob@b.example", "queued")]), ProtocolJson.Default.SendReply), """{"ok":true,"messageId":"<m@example.org>","sent":{"folder":"Sent","id":2},"recipients":[{"address":"bob@b.example","status":"queued"}]}""" },
        { Json(new PeerDeliverReply("d1", false, [new PeerRecipientResult("bob@b.example", "delivered"), new PeerRecipientResult("x@b.example", "unknown", "recipient.unknown", "No such user.")]), ProtocolJson.Default.PeerDeliverReply), """{"ok":true,"id":"d1","duplicate":false,"results":[{"rcpt":"bob@b.example","status":"delivered"},{"rcpt":"x@b.example","status":"unknown","code":"recipient.unknown","message":"No such user."}]}""" },
        { Json(new PeerVerifyReply(true), ProtocolJson.Default.PeerVerifyReply), """{"ok":true,"valid":true}""" },
        { Json(new FilterAccountReply(false), ProtocolJson.Default.FilterAccountReply), """{"ok":true,"exists":false}""" },
        { Json(new QueueEntryDto(1, "outbound", "d1", null, "alice@a.example", ["bob@b.example"], 474, "2026-11-29T15:57:44.0000000Z", 1, "2026-11-29T16:57:44.0000000Z", null, false), ProtocolJson.Default.QueueEntryDto), """{"id":1,"kind":"outbound","deliveryId":"d1","domain":null,"sender":"alice@a.example","recipients":["bob@b.example"],"size":474,"created":"2026-11-29T15:57:44.0000000Z","attempts":1,"nextAttempt":"2026-11-29T16:57:44.0000000Z","lastError":null,"delayNotified":false}""" },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public void Serialize_Contract_WritesTheHeadOfTheWireFormat(string actual, string expected) => Assert.Equal(expected, actual);

    [Fact]
    public void Serialize_HelloForEachSocket_LeavesOutWhatThatSocketDoesNotSay()
    {
        var common = new HelloReply(1, "butterfly/0.9.0 example.org", ["example.org"]);
        var client = common with { Capabilities = ["send", "store"], Connection = "c0ffee", Limits = new HelloLimits(27262976, 26214400, 65536, 100, 256, 25) };
        var control = common with { DataDirectory = "/var/lib/butterfly/data", Commands = ["user.add"] };

        Assert.Equal(
            """{"ok":true,"version":1,"server":"butterfly/0.9.0 example.org","domains":["example.org"],"capabilities":["send","store"],"connection":"c0ffee","limits":{"maxFrameBytes":27262976,"maxMessageBytes":26214400,"maxHeadBytes":65536,"maxRecipients":100,"maxInFlight":256,"maxHops":25}}""",
            Json(client, ProtocolJson.Default.HelloReply));
        Assert.Equal(
            """{"ok":true,"version":1,"server":"butterfly/0.9.0 example.org","domains":["example.org"],"dataDirectory":"/var/lib/butterfly/data","commands":["user.add"]}""",
            Json(control, ProtocolJson.Default.HelloReply));
    }

    [Fact]
    public void Serialize_FilterMessageRequest_CmdFirst_NullsWritten_NonAsciiKept()
    {
        var request = new FilterMessageRequest(
            "0a1b",
            "inbound",
            new FilterEnvelopeDto("alice@example.org", ["bob@example.org"], "local", "alice@example.org", null, 1),
            new FilterSummaryDto("Zoë <alice@example.org>", ["bob@example.org"], "Café?", null, 812));

        Assert.Equal(
            """{"cmd":"filter.message","id":"0a1b","stage":"inbound","envelope":{"sender":"alice@example.org","recipients":["bob@example.org"],"origin":"local","account":"alice@example.org","peer":null,"hops":1},"summary":{"from":"Zoë <alice@example.org>","to":["bob@example.org"],"subject":"Café?","messageId":null,"size":812}}""",
            Json(request, ProtocolJson.Default.FilterMessageRequest));
    }

    // As the server writes heads: non-ASCII text as it is (Wire/JsonReply).
    private static string Json<T>(T value, JsonTypeInfo<T> info)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, value, info);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
