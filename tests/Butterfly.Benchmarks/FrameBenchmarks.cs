using System.Buffers;
using BenchmarkDotNet.Attributes;
using Butterfly.Protocol.Framing;

namespace Butterfly.Benchmarks;

/// <summary>
/// Frame decode (<see cref="FrameReader"/>) over one segment and over a frame split across a pipe's
/// 4 KB buffers, and encode (<see cref="FrameWriter"/>) into a reused buffer writer.
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 << 10);
    private ReadOnlySequence<byte> _pings16;
    private ReadOnlySequence<byte> _send;
    private ReadOnlySequence<byte> _sendSplit;

    [GlobalSetup]
    public void Setup()
    {
        _pings16 = new ReadOnlySequence<byte>(SampleFrames.Pings16);
        _send = new ReadOnlySequence<byte>(SampleFrames.Send);
        _sendSplit = BufferSegment.Split(SampleFrames.Send, 4096);
    }

    /// <summary>16 pipelined pings read from one buffer; one operation is one frame.</summary>
    [Benchmark(OperationsPerInvoke = 16)]
    public long DecodePing_SingleSegment()
    {
        var buffer = _pings16;
        long tags = 0;
        while (FrameReader.TryRead(buffer, SampleFrames.MaxPayloadBytes, out var frame, out var end, out _) == FrameStatus.Complete)
        {
            tags += (long)frame.Tag;
            buffer = buffer.Slice(end);
        }

        return tags;
    }

    /// <summary>A send frame (10 KB message) in one buffer.</summary>
    [Benchmark]
    public long DecodeSend_SingleSegment() => Decode(_send);

    /// <summary>The same frame split across 4 KB segments (three of them), as a pipe delivers it.</summary>
    [Benchmark]
    public long DecodeSend_SplitSegments() => Decode(_sendSplit);

    /// <summary>A ping frame written into a reused buffer.</summary>
    [Benchmark]
    public int EncodePing()
    {
        _output.ResetWrittenCount();
        FrameWriter.Write(_output, 1, SampleFrames.PingHead, ReadOnlySpan<byte>.Empty);
        return _output.WrittenCount;
    }

    /// <summary>A send frame (head and 10 KB body) written into a reused buffer.</summary>
    [Benchmark]
    public int EncodeSend()
    {
        _output.ResetWrittenCount();
        FrameWriter.Write(_output, 2, SampleFrames.SendHead, SampleFrames.Message);
        return _output.WrittenCount;
    }

    private static long Decode(in ReadOnlySequence<byte> buffer)
    {
        if (FrameReader.TryRead(buffer, SampleFrames.MaxPayloadBytes, out var frame, out _, out _) != FrameStatus.Complete)
        {
            throw new InvalidOperationException("The sample frame did not decode.");
        }

        return frame.Head.Length + frame.Body.Length;
    }
}
