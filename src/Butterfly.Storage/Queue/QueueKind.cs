namespace Butterfly.Storage;

/// <summary>Why a message waits in the queue.</summary>
public enum QueueKind
{
    /// <summary>To be delivered to the server of a remote domain.</summary>
    Outbound = 1,

    /// <summary>Arrived for local recipients and held until a filter can decide.</summary>
    Inbound = 2,
}
