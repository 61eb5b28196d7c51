using System.Text.Json;
using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>
/// Source-generated JSON for the wire contracts, camelCase as on the wire: the heads the server
/// writes (every reply, the filter socket's <c>filter.message</c>), and the DTOs clients read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FolderDto))]
[JsonSerializable(typeof(MessageDto))]
[JsonSerializable(typeof(List<FolderDto>))]
[JsonSerializable(typeof(List<MessageDto>))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(HelloReply))]
[JsonSerializable(typeof(UserReply))]
[JsonSerializable(typeof(FolderReply))]
[JsonSerializable(typeof(FolderListReply))]
[JsonSerializable(typeof(FolderDeleteReply))]
[JsonSerializable(typeof(MessageListReply))]
[JsonSerializable(typeof(MessageFetchReply))]
[JsonSerializable(typeof(MessageStoreReply))]
[JsonSerializable(typeof(MessageTransferReply))]
[JsonSerializable(typeof(MessageDeleteReply))]
[JsonSerializable(typeof(MessageFlagsReply))]
[JsonSerializable(typeof(SendReply))]
[JsonSerializable(typeof(AuthTokenReply))]
[JsonSerializable(typeof(AuthRevokeReply))]
[JsonSerializable(typeof(MessageViewReply))]
[JsonSerializable(typeof(MessagePartReply))]
[JsonSerializable(typeof(MessageSearchReply))]
[JsonSerializable(typeof(ThreadGetReply))]
[JsonSerializable(typeof(ThreadListReply))]
[JsonSerializable(typeof(List<ThreadDto>))]
[JsonSerializable(typeof(PeerAuthReply))]
[JsonSerializable(typeof(PeerVerifyReply))]
[JsonSerializable(typeof(PeerDeliverReply))]
[JsonSerializable(typeof(List<PeerRecipientResult>))]
[JsonSerializable(typeof(FilterRegisterReply))]
[JsonSerializable(typeof(FilterAccountReply))]
[JsonSerializable(typeof(FilterServerReply))]
[JsonSerializable(typeof(FilterMessageRequest))]
[JsonSerializable(typeof(AccountReply))]
[JsonSerializable(typeof(AccountListReply))]
[JsonSerializable(typeof(QueueListReply))]
[JsonSerializable(typeof(QueueRetryReply))]
[JsonSerializable(typeof(QueueDropReply))]
[JsonSerializable(typeof(BackupSnapshotReply))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(QuotaReply))]
[JsonSerializable(typeof(AliasReply))]
[JsonSerializable(typeof(AliasListReply))]
[JsonSerializable(typeof(MailingListReply))]
[JsonSerializable(typeof(AccountInfoReply))]
[JsonSerializable(typeof(EventDto))]
[JsonSerializable(typeof(EventsSubscribeReply))]
[JsonSerializable(typeof(ChangesReply))]
[JsonSerializable(typeof(MessageImportReply))]
[JsonSerializable(typeof(FolderEmptyReply))]
public sealed partial class ProtocolJson : JsonSerializerContext
{
    /// <summary>Reader options for heads: the server applies its own depth limit on top.</summary>
    public static JsonReaderOptions ReaderOptions(int maxDepth) => new() { MaxDepth = maxDepth };
}
