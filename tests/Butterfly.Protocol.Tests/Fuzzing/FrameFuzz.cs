using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Support;

namespace Butterfly.Protocol.Tests.Fuzzing;

/// <summary>
/// Fuzz target for <see cref="FrameReader"/>: any bytes, read whole and split into segments at
/// points derived from the input (so a saved input replays exactly). It throws when the reader
/// throws, or when a result breaks the contract of protocol/framing.md.
/// </summary>
public static class FrameFuzz
{
    private static readonly int[] _limits = [FrameLayout.MinPayloadSize - 1, FrameLayout.MinPayloadSize, 64, 4096, int.MaxValue];

    /// <summary>Runs every check on one input.</summary>
    /// <param name="data">Arbitrary bytes.</param>
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        var random = new Random(Seed(data));

        // The same bytes cut three ways; sequences are immutable, so each serves every limit.
        var contiguous = new ReadOnlySequence<byte>(bytes);
        (string How, ReadOnlySequence<byte> Buffer)[] splits =
        [
            ("two segments", Sequences.SplitAt(bytes, random.Next(bytes.Length + 1))),
            ("random segments", RandomSplits(bytes, random)),
            ("one byte per segment", bytes.Length <= 64 ? Sequences.OneBytePerSegment(bytes) : RandomSplits(bytes, random)),
        ];
        foreach (var max in _limits)
        {
            var expected = DecodeChecked(contiguous, bytes, max);
            foreach (var (how, buffer) in splits)
            {
                Same(expected, DecodeChecked(buffer, bytes, max), max, how);
            }
        }
    }

    private static DecodeResult DecodeChecked(ReadOnlySequence<byte> buffer, byte[] original, int max)
    {
        var frames = new List<DecodedFrame>();
        var offset = 0;
        while (true)
        {
            var status = FrameReader.TryRead(buffer, max, out var frame, out var end, out var error);
            var rest = original.AsSpan(offset);
            var headerStatus = FrameReader.TryReadHeader(rest, max, out _, out _, out _, out var headerError);
            Check(headerStatus == status && headerError == error, $"TryReadHeader says {headerStatus}/{headerError}, TryRead {status}/{error} at {offset}");
            switch (status)
            {
                case FrameStatus.Complete:
                    offset += CheckComplete(frame, buffer, end, rest, max, error);
                    frames.Add(DecodedFrame.From(frame));
                    buffer = buffer.Slice(end);
                    break;
                case FrameStatus.Incomplete:
                    Check(end.Equals(buffer.Start), "Incomplete must consume nothing");
                    Check(error == ErrorCode.None, "Incomplete must carry no error");
                    CheckIncomplete(rest, max);
                    return new DecodeResult(frames, status, error, offset);
                case FrameStatus.Invalid:
                    Check(end.Equals(buffer.Start), "Invalid must consume nothing");
                    CheckInvalid(rest, max, error);
                    return new DecodeResult(frames, status, error, offset);
                default:
                    throw new FuzzInvariantException($"Unknown status {status}.");
            }
        }
    }

    private static int CheckComplete(in Frame frame, in ReadOnlySequence<byte> buffer, SequencePosition end, ReadOnlySpan<byte> rest, int max, ErrorCode error)
    {
        Check(error == ErrorCode.None, "Complete must carry no error");
        var frameLength = checked((int)buffer.Slice(buffer.Start, end).Length);
        Check(rest.Length >= FrameLayout.HeaderSize, "Complete with fewer than 16 bytes");
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        Check(declared >= FrameLayout.MinPayloadSize && declared <= (uint)max, $"Complete with declared length {declared}, limit {max}");
        Check(frameLength == FrameLayout.LengthSize + (long)declared, $"consumed {frameLength}, declared {declared}");
        Check(frame.PayloadLength == declared, $"PayloadLength {frame.PayloadLength}, declared {declared}");
        Check(frame.Tag == BinaryPrimitives.ReadUInt64LittleEndian(rest[FrameLayout.LengthSize..]), "tag differs from bytes 4..12");
        Check(frame.Head.Length == BinaryPrimitives.ReadUInt32LittleEndian(rest[(FrameLayout.LengthSize + FrameLayout.TagSize)..]), "head length differs from bytes 12..16");

        // Re-encoding gives back exactly the bytes consumed, through both writer paths.
        var consumed = rest[..frameLength];
        var head = frame.Head.ToArray();
        Check(consumed.SequenceEqual(FrameWriter.ToArray(frame.Tag, head, frame.Body.ToArray())), "ToArray does not reproduce the frame");
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, frame.Tag, head, frame.Body);
        Check(consumed.SequenceEqual(writer.WrittenSpan), "Write(sequence body) does not reproduce the frame");
        return frameLength;
    }

    private static void CheckIncomplete(ReadOnlySpan<byte> rest, int max)
    {
        if (rest.Length < FrameLayout.LengthSize)
        {
            return;
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        Check(declared >= FrameLayout.MinPayloadSize && declared <= (uint)max, $"Incomplete although declared length {declared} breaks limit {max}");
        Check(rest.Length < FrameLayout.LengthSize + (long)declared, "Incomplete although the whole frame is there");
        if (rest.Length >= FrameLayout.HeaderSize)
        {
            var headLength = BinaryPrimitives.ReadUInt32LittleEndian(rest[(FrameLayout.LengthSize + FrameLayout.TagSize)..]);
            Check(headLength <= declared - FrameLayout.MinPayloadSize, "Incomplete although the head length runs past the payload");
        }
    }

    private static void CheckInvalid(ReadOnlySpan<byte> rest, int max, ErrorCode error)
    {
        Check(rest.Length >= FrameLayout.LengthSize, "Invalid before 4 bytes");
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        var expected = declared < FrameLayout.MinPayloadSize ? ErrorCode.ProtocolMalformedFrame
            : declared > (uint)max ? ErrorCode.ProtocolFrameTooLarge
            : ErrorCode.None;
        if (expected == ErrorCode.None)
        {
            // The length is fine, so only the head length can be wrong, and it must be visible.
            Check(rest.Length >= FrameLayout.HeaderSize, "Invalid with a legal length and no head length yet");
            var headLength = BinaryPrimitives.ReadUInt32LittleEndian(rest[(FrameLayout.LengthSize + FrameLayout.TagSize)..]);
            Check(headLength > declared - FrameLayout.MinPayloadSize, "Invalid although the head length fits");
            expected = ErrorCode.ProtocolMalformedFrame;
        }

        Check(error == expected, $"error {error}, expected {expected}");
    }

    private static void Same(DecodeResult expected, DecodeResult actual, int max, string how)
    {
        Check(expected.Equivalent(actual), $"{how} (limit {max}) gives {actual}, contiguous gives {expected}");
    }

    private static ReadOnlySequence<byte> RandomSplits(byte[] bytes, Random random)
    {
        // Up to 8 cuts, duplicates allowed so empty segments occur too.
        var cuts = Enumerable.Range(0, random.Next(9)).Select(_ => random.Next(bytes.Length + 1)).Order().ToArray();
        return Sequences.SplitAtMany(bytes, cuts);
    }

    private static int Seed(ReadOnlySpan<byte> data)
    {
        // FNV-1a: the split points depend only on the input, so a saved input replays exactly.
        var hash = 2166136261u;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)hash;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }

    private static void Check(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref CheckMessageHandler message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message.ToString());
        }
    }
}
