using System.Text.Json;
using System.Text.Json.Serialization;

namespace Butterfly.Protocol.Contracts;

/// <summary>Source-generated JSON for the contract types, camelCase as on the wire.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FolderDto))]
[JsonSerializable(typeof(MessageDto))]
[JsonSerializable(typeof(List<FolderDto>))]
[JsonSerializable(typeof(List<MessageDto>))]
public sealed partial class ProtocolJson : JsonSerializerContext
{
    /// <summary>Reader options for heads: the server applies its own depth limit on top.</summary>
    public static JsonReaderOptions ReaderOptions(int maxDepth) => new() { MaxDepth = maxDepth };
}
