using System.Text.Json;
using Butterfly.Client;

namespace Butterfly.Bench;

/// <summary>The request heads a run repeats, encoded once up front so the loops measure the connection, not JSON.</summary>
internal static class BenchRequests
{
    /// <summary>A <c>send</c> head with one envelope recipient (the message travels as the body).</summary>
    public static byte[] SendHead(string to)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("cmd", "send");
            writer.WriteStartArray("rcpt");
            writer.WriteStringValue(to);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The head and body for one request of <paramref name="settings"/>, sent by <paramref name="user"/> (default <see cref="BenchSettings.User"/>).</summary>
    public static (byte[] Head, byte[] Body) For(BenchSettings settings, string? user = null)
    {
        if (settings.Mode == BenchMode.Ping)
        {
            return (ButterflyClient.PingHead.ToArray(), []);
        }

        user ??= settings.User;
        var to = settings.To ?? user;
        return (SendHead(to), BenchMessage.Create(user, to, settings.Size));
    }
}
