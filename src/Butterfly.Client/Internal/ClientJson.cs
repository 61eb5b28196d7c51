using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client.Internal;

/// <summary>
/// Reads the contract types leniently: property names are matched case-insensitively, so
/// <c>modseq</c> (protocol/client.md) and <c>modSeq</c> both bind.
/// </summary>
internal static class ClientJson
{
    private static readonly JsonSerializerOptions _options = new(ProtocolJson.Default.Options)
    {
        PropertyNameCaseInsensitive = true,
        TypeInfoResolver = ProtocolJson.Default,
    };

    public static JsonTypeInfo<List<FolderDto>> Folders { get; } =
        (JsonTypeInfo<List<FolderDto>>)_options.GetTypeInfo(typeof(List<FolderDto>));

    public static JsonTypeInfo<List<MessageDto>> Messages { get; } =
        (JsonTypeInfo<List<MessageDto>>)_options.GetTypeInfo(typeof(List<MessageDto>));

    public static JsonTypeInfo<EventDto> Event { get; } = (JsonTypeInfo<EventDto>)_options.GetTypeInfo(typeof(EventDto));

    public static JsonTypeInfo<ChangesReply> Changes { get; } = (JsonTypeInfo<ChangesReply>)_options.GetTypeInfo(typeof(ChangesReply));

    public static JsonTypeInfo<List<ThreadDto>> Threads { get; } =
        (JsonTypeInfo<List<ThreadDto>>)_options.GetTypeInfo(typeof(List<ThreadDto>));
}
