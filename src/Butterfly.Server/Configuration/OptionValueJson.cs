using System.Text.Json.Serialization;

namespace Butterfly.Server.Configuration;

/// <summary>Source-generated JSON for the strings <see cref="OptionValues"/> quotes.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class OptionValueJson : JsonSerializerContext;
