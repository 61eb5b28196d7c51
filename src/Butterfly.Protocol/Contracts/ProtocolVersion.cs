namespace Butterfly.Protocol.Contracts;

/// <summary>The protocol version this code speaks (protocol/client.md, "hello").</summary>
public static class ProtocolVersion
{
    /// <summary>The current and only version.</summary>
    public const int Current = 1;
}
