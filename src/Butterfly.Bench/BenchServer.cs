namespace Butterfly.Bench;

/// <summary>One server a bench run connects to.</summary>
/// <param name="Host">Its host name or address.</param>
/// <param name="Port">Its port.</param>
public sealed record BenchServer(string Host, int Port)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{Port}";
}
