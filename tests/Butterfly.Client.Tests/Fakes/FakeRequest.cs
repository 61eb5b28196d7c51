using System.Text.Json;

namespace Butterfly.Client.Tests.Fakes;

/// <summary>A request the fake server received.</summary>
/// <param name="Tag">Its tag.</param>
/// <param name="Head">Its parsed JSON head.</param>
/// <param name="Body">Its binary body.</param>
public sealed record FakeRequest(ulong Tag, JsonElement Head, byte[] Body)
{
    /// <summary>The <c>cmd</c> field.</summary>
    public string Command => Head.TryGetProperty("cmd", out var cmd) ? cmd.GetString() ?? "" : "";
}
