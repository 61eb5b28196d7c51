namespace Butterfly.Scripting.Internal;

/// <summary>SplitMix64: a small, fast generator whose whole sequence follows from one 64-bit seed.</summary>
/// <remarks>Backs <c>ctx.random()</c> and <c>Math.random()</c>, so a re-run with the recorded seed draws the same numbers.</remarks>
internal sealed class SeededRandom(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A double in [0, 1): the top 53 bits over 2^53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
