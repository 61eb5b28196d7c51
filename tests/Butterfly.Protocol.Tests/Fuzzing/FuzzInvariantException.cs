namespace Butterfly.Protocol.Tests.Fuzzing;

/// <summary>Thrown by <see cref="FrameFuzz"/> when the reader breaks one of its promises.</summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
