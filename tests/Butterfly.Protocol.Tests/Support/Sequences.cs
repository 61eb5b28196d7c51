using System.Buffers;

namespace Butterfly.Protocol.Tests.Support;

/// <summary>Builds byte sequences split in chosen places, to exercise the multi-segment reader path.</summary>
internal static class Sequences
{
    /// <summary>One segment per chunk, in order. Empty chunks are kept (a real pipe can produce them).</summary>
    public static ReadOnlySequence<byte> FromChunks(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (chunks.Count == 1)
        {
            return new ReadOnlySequence<byte>(chunks[0]);
        }

        var first = new BufferSegment(chunks[0]);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Two segments: <c>[0, offset)</c> and <c>[offset, end)</c>, each in its own array.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, int offset) =>
        FromChunks([data.AsSpan(0, offset).ToArray(), data.AsSpan(offset).ToArray()]);

    /// <summary>One segment per byte, each in its own array.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        FromChunks(data.Select(b => (ReadOnlyMemory<byte>)new[] { b }).ToArray());

    /// <summary>Segments that end at the given ascending offsets (and at the end of the data).</summary>
    public static ReadOnlySequence<byte> SplitAtMany(ReadOnlySpan<byte> data, IEnumerable<int> offsets)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var offset in offsets)
        {
            chunks.Add(data[start..offset].ToArray());
            start = offset;
        }

        chunks.Add(data[start..].ToArray());
        return FromChunks(chunks);
    }
}
