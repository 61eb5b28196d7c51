using System.Buffers;

namespace Butterfly.Protocol.Connections;

/// <summary>
/// A large frame gathered outside the transport's buffer, in fixed-size chunks rented from the
/// shared array pool and returned on <see cref="Dispose"/>. Chunks (not one array of the frame's
/// size) keep the pool from holding on to frame-sized arrays after the frame is gone.
/// </summary>
internal sealed class PooledFrameBuffer : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<byte[]> _chunks = [];
    private int _lastUsed = ChunkSize;

    /// <summary>Bytes gathered so far.</summary>
    public long Length { get; private set; }

    /// <summary>Copies <paramref name="bytes"/> to the end.</summary>
    public void Append(in ReadOnlySequence<byte> bytes)
    {
        foreach (var memory in bytes)
        {
            var span = memory.Span;
            while (!span.IsEmpty)
            {
                if (_lastUsed == ChunkSize)
                {
                    _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                    _lastUsed = 0;
                }

                var count = Math.Min(span.Length, ChunkSize - _lastUsed);
                span[..count].CopyTo(_chunks[^1].AsSpan(_lastUsed));
                _lastUsed += count;
                Length += count;
                span = span[count..];
            }
        }
    }

    /// <summary>The bytes gathered, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySequence<byte> ToSequence()
    {
        if (_chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (_chunks.Count == 1)
        {
            return new ReadOnlySequence<byte>(_chunks[0], 0, _lastUsed);
        }

        var first = new Segment(_chunks[0].AsMemory(0, ChunkSize), 0);
        var last = first;
        for (var i = 1; i < _chunks.Count; i++)
        {
            var used = i == _chunks.Count - 1 ? _lastUsed : ChunkSize;
            last = last.Append(_chunks[i].AsMemory(0, used));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Returns the chunks to the pool.</summary>
    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
        _lastUsed = ChunkSize;
        Length = 0;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
