using System.Buffers;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>A minimal linked segment for building multi-segment <see cref="ReadOnlySequence{T}"/> values.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    public BufferSegment(ReadOnlyMemory<byte> memory)
    {
        Memory = memory;
    }

    /// <summary>Appends a segment after this one and returns it.</summary>
    public BufferSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new BufferSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }
}
