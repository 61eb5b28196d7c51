using System.Buffers;
using System.IO.Pipelines;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Framing;

/// <summary>FrameReader inside the usual PipeReader loop, with bytes trickling in one at a time.</summary>
public sealed class FramePipeTests
{
    private const int Max = 1024;

    [Fact]
    public async Task ReadLoop_BytesWrittenOneAtATime_YieldsSameFrames()
    {
        byte[] data =
        [
            .. RawFrames.Frame(1, """{"cmd":"hello","version":1}"""),
            .. RawFrames.Frame(2, """{"cmd":"message.store","folder":"Drafts"}""", [13, 10, 0, 255]),
            .. RawFrames.Frame(0, """{"event":"message.new"}"""),
            .. RawFrames.Frame(ulong.MaxValue, """{"ok":true}"""),
        ];
        var expected = FrameDecoder.DecodeAll(data, Max).Frames;
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 16, pauseWriterThreshold: 0));

        var writing = WriteOneByteAtATimeAsync(pipe.Writer, data);
        var (frames, status, error) = await ReadFramesAsync(pipe.Reader);
        await writing;

        Assert.Equal(expected, frames);
        Assert.Equal(FrameStatus.Incomplete, status);
        Assert.Equal(ErrorCode.None, error);
    }

    [Fact]
    public async Task PipeTryRead_AfterEachByte_YieldsEachFrameWhenItsLastByteArrives()
    {
        var frames = new[]
        {
            RawFrames.Frame(10, """{"cmd":"ping"}"""),
            RawFrames.Frame(11, """{"ok":true}""", [1, 2, 3]),
            RawFrames.Build(12, 12, 0),
        };
        byte[] data = [.. frames.SelectMany(f => f)];
        var lastByteOfFrame = new HashSet<int>();
        var offset = 0;
        foreach (var f in frames)
        {
            offset += f.Length;
            lastByteOfFrame.Add(offset - 1);
        }

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var seen = new List<DecodedFrame>();
        for (var i = 0; i < data.Length; i++)
        {
            await pipe.Writer.WriteAsync(data.AsMemory(i, 1));
            Assert.True(pipe.Reader.TryRead(out var result));
            var buffer = result.Buffer;
            var before = seen.Count;
            while (FrameReader.TryRead(buffer, Max, out var frame, out var end, out _) == FrameStatus.Complete)
            {
                seen.Add(DecodedFrame.From(frame));
                buffer = buffer.Slice(end);
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            Assert.Equal(lastByteOfFrame.Contains(i) ? before + 1 : before, seen.Count);
        }

        Assert.Equal(frames.Select(f => FrameDecoder.DecodeAll(f, Max).Frames.Single()), seen);
        await pipe.Writer.CompleteAsync();
        await pipe.Reader.CompleteAsync();
    }

    [Fact]
    public async Task ReadLoop_OversizedLength_RejectedBeforeBodyArrives()
    {
        // The writer sends one good frame and the length of an oversized one, then waits:
        // the reader must reject it without waiting for more bytes (framing.md, "Limits").
        var pipe = new Pipe();
        byte[] data = [.. RawFrames.Frame(4, """{"cmd":"ping"}"""), .. RawFrames.LengthOnly(Max + 1)];
        await pipe.Writer.WriteAsync(data);

        var (frames, status, error) = await ReadFramesAsync(pipe.Reader);

        Assert.Equal(4UL, Assert.Single(frames).Tag);
        Assert.Equal(FrameStatus.Invalid, status);
        Assert.Equal(ErrorCode.ProtocolFrameTooLarge, error);
        await pipe.Writer.CompleteAsync();
    }

    [Fact]
    public async Task ReadLoop_WriterCompletesMidFrame_ReportsIncompleteAtEnd()
    {
        var pipe = new Pipe();
        var frame = RawFrames.Frame(3, """{"cmd":"ping"}""");
        await pipe.Writer.WriteAsync(frame.AsMemory(0, frame.Length - 1));
        await pipe.Writer.CompleteAsync();

        var (frames, status, _) = await ReadFramesAsync(pipe.Reader);

        Assert.Empty(frames);
        Assert.Equal(FrameStatus.Incomplete, status);
    }

    private static async Task WriteOneByteAtATimeAsync(PipeWriter writer, byte[] data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            await writer.WriteAsync(data.AsMemory(i, 1));
        }

        await writer.CompleteAsync();
    }

    // The textbook loop: parse what is there, advance consumed to the last whole frame and
    // examined to the end so ReadAsync waits for new bytes.
    private static async Task<(List<DecodedFrame> Frames, FrameStatus Status, ErrorCode Error)> ReadFramesAsync(PipeReader reader)
    {
        var frames = new List<DecodedFrame>();
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            FrameStatus status;
            ErrorCode error;
            while ((status = FrameReader.TryRead(buffer, Max, out var frame, out var end, out error)) == FrameStatus.Complete)
            {
                frames.Add(DecodedFrame.From(frame));
                buffer = buffer.Slice(end);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (status == FrameStatus.Invalid || result.IsCompleted)
            {
                await reader.CompleteAsync();
                return (frames, status, error);
            }
        }
    }
}
