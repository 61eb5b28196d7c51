namespace Butterfly.Protocol.Connections;

/// <summary>What <see cref="FrameHeads.Classify"/> found a head to be.</summary>
public enum HeadKind
{
    /// <summary>A JSON object without a top-level <c>"ok"</c> before its <c>"cmd"</c>.</summary>
    Request,

    /// <summary>A JSON object with a top-level <c>"ok"</c>.</summary>
    Reply,

    /// <summary>Not a JSON object. Only the receiver knows whether its tag waits for a reply.</summary>
    Malformed,
}
