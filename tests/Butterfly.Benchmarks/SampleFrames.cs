using Butterfly.Bench;
using Butterfly.Client;
using Butterfly.Protocol.Framing;

namespace Butterfly.Benchmarks;

/// <summary>The frames the load benches put on the wire: a ping, and a send of a 10 KB message (what `bench send` sends).</summary>
internal static class SampleFrames
{
    /// <summary>The largest payload the server accepts by default (limits.maxFrameBytes).</summary>
    public const int MaxPayloadBytes = 26 << 20;

    public static byte[] PingHead { get; } = ButterflyClient.PingHead.ToArray();

    public static byte[] SendHead { get; } = """{"cmd":"send","rcpt":["alice@localhost"]}"""u8.ToArray();

    public static byte[] Message { get; } = BenchMessage.Create("alice@localhost", "alice@localhost", 10240);

    public static byte[] Ping { get; } = FrameWriter.ToArray(1, PingHead);

    public static byte[] Send { get; } = FrameWriter.ToArray(2, SendHead, Message);

    /// <summary>16 pings back to back, as one read of a pipelined (P16) client delivers them.</summary>
    public static byte[] Pings16 { get; } = [.. Enumerable.Range(1, 16).SelectMany(tag => FrameWriter.ToArray((ulong)tag, PingHead))];
}
