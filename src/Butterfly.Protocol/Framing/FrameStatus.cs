namespace Butterfly.Protocol.Framing;

/// <summary>What <see cref="FrameReader"/> found at the start of a buffer.</summary>
public enum FrameStatus
{
    /// <summary>A whole frame is there; it has been returned and its end position reported.</summary>
    Complete,

    /// <summary>More bytes are needed. Nothing was consumed.</summary>
    Incomplete,

    /// <summary>The bytes cannot be a legal frame (see the error code). The connection must be closed.</summary>
    Invalid,
}
