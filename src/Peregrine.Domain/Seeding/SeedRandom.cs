namespace Peregrine.Domain.Seeding;

/// <summary>
/// A small SplitMix64 generator. <see cref="System.Random"/> with a seed is not promised to give the
/// same sequence across .NET versions; this one is, so the demo data (and its uuids) never drift.
/// Every report draws from its own stream (<see cref="For"/>), so report <c>i</c> is the same
/// whatever the total count: seeding 10k reports gives the first 10k of a 100k seed.
/// </summary>
internal struct SeedRandom
{
    private ulong _state;

    public SeedRandom(ulong seed) => _state = seed;

    /// <summary>An independent stream for one (kind, index) pair, e.g. ("report", 42).</summary>
    public static SeedRandom For(ulong seed, SeedStream stream, long index) =>
        new(Mix(seed ^ Mix(((ulong)stream << 56) ^ (ulong)index)));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>Uniform in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Standard normal deviate (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble(); // (0, 1], keeps Log finite
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A random (version 4, RFC 4122 variant) uuid drawn from this stream.</summary>
    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The separate random streams of the seed; their values are part of the data's identity.</summary>
internal enum SeedStream : byte
{
    User = 1,
    Category = 2,
    Report = 3,
    ReportId = 4,
    Media = 5,
    ReportCategories = 6,
    Favorites = 7,
}
