namespace Butterfly.Bench;

/// <summary>The request a <c>bench</c> run repeats.</summary>
public enum BenchMode
{
    /// <summary><c>ping</c>: the protocol's cheapest round trip.</summary>
    Ping,

    /// <summary><c>send</c>: a message of <see cref="BenchSettings.Size"/> bytes to <see cref="BenchSettings.To"/>.</summary>
    Send,
}
