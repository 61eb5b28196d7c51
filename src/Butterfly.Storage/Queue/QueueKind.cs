namespace Butterfly.Storage;

/// <summary>Why a message waits in the queue.</summary>
public enum QueueKind
{
    /// <summary>To be delivered to the server of a remote domain.</summary>
    Outbound = 1,

    /// <summary>Arrived for local recipients and held until a filter can decide.</summary>
    Inbound = 2,

    /// <summary>Arrived for an address with a script, waiting for the script to run (or to run again after a failure).</summary>
    Script = 3,
}
