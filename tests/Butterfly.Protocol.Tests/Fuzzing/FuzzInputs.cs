using System.Buffers.Binary;
using Butterfly.Protocol.Framing;
using Butterfly.Protocol.Tests.Vectors;

namespace Butterfly.Protocol.Tests.Fuzzing;

/// <summary>Makes fuzz inputs: random bytes, mutated test vectors, and mutated streams of well-formed frames.</summary>
internal sealed class FuzzInputs
{
    private static readonly uint[] _interestingLengths =
        [0, 1, 11, 12, 13, 63, 64, 65, 4095, 4096, 4097, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private readonly Random _random;
    private readonly byte[][] _seeds;

    public FuzzInputs(Random random, IEnumerable<byte[]> seeds)
    {
        _random = random;
        _seeds = [.. seeds];
    }

    public static IEnumerable<byte[]> VectorSeeds() => FrameVectorFile.All.Select(v => v.Bytes);

    public byte[] Next() => _random.Next(4) switch
    {
        0 => RandomBytes(),
        1 => Mutate(_seeds[_random.Next(_seeds.Length)]),
        2 => Mutate(Splice()),
        _ => Mutate(WellFormedStream()),
    };

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(2) == 0 ? _random.Next(20) : _random.Next(300)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Splice()
    {
        var a = _seeds[_random.Next(_seeds.Length)];
        var b = _seeds[_random.Next(_seeds.Length)];
        return [.. a.AsSpan(0, _random.Next(a.Length + 1)), .. b.AsSpan(_random.Next(b.Length + 1))];
    }

    private byte[] WellFormedStream()
    {
        var stream = new List<byte>();
        for (var i = _random.Next(1, 5); i > 0; i--)
        {
            var head = new byte[_random.Next(40)];
            var body = new byte[_random.Next(2) == 0 ? 0 : _random.Next(100)];
            _random.NextBytes(head);
            _random.NextBytes(body);
            var tag = _random.Next(4) == 0 ? ulong.MaxValue : (ulong)_random.NextInt64();
            stream.AddRange(FrameWriter.ToArray(tag, head, body));
        }

        return [.. stream];
    }

    private byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var rounds = _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            switch (_random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    var at = _random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                    break;
                case 2:
                    bytes.Insert(_random.Next(bytes.Count + 1), (byte)_random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(_random.Next(bytes.Count));
                    break;
                case 4 when bytes.Count > 0:
                    var keep = _random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 5:
                    // Lengths at and around the limits the fuzz target reads with, or the true length.
                    var length = _random.Next(3) == 0
                        ? (uint)Math.Max(bytes.Count - FrameLayout.LengthSize, 0)
                        : _interestingLengths[_random.Next(_interestingLengths.Length)];
                    OverwriteU32(bytes, 0, length);
                    break;
                default:
                    // A head length of "everything left" or one more: the boundary of framing.md, "Head length".
                    var payload = bytes.Count >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian([.. bytes.Take(4)]) : 0u;
                    OverwriteU32(bytes, 12, payload - 12 + (uint)_random.Next(2));
                    break;
            }
        }

        return [.. bytes];
    }

    private static void OverwriteU32(List<byte> bytes, int offset, uint value)
    {
        if (bytes.Count < offset + 4)
        {
            return;
        }

        Span<byte> le = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(le, value);
        for (var i = 0; i < 4; i++)
        {
            bytes[offset + i] = le[i];
        }
    }
}
