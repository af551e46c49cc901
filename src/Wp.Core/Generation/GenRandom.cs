namespace Wp.Core.Generation;

/// <summary>
/// xoshiro256** seeded through SplitMix64: small, fast, and — unlike <see cref="Random"/>, whose
/// seeded sequence is an implementation detail — the same sequence for a seed on every runtime,
/// so <c>wpgen rule --seed N</c> output is reproducible across .NET versions. Not thread-safe.
/// </summary>
internal sealed class GenRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public GenRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A value in <c>[0, max)</c>; 0 when <paramref name="max"/> is 0 or less.</summary>
    public int Next(int max) => max <= 0 ? 0 : (int)(((NextUInt64() >> 32) * (ulong)(uint)max) >> 32);

    /// <summary>A value in <c>[low, high]</c> (inclusive; the whole long range is allowed).</summary>
    public long Between(long low, long high)
    {
        var span = unchecked((ulong)(high - low)) + 1;
        return span == 0 ? unchecked((long)NextUInt64()) : unchecked(low + (long)(NextUInt64() % span));
    }

    /// <summary>A value in <c>[0, 1)</c>.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
