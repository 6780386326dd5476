namespace Peregrine.Domain.Geo;

/// <summary>
/// Index arithmetic for storing reports by their resolution-15 cell. A cell's descendants at
/// resolution 15 differ from it only in the resolution field and in the digits below its own
/// resolution, so they all lie in one contiguous range of 64-bit indexes (digits 0 to 6). H3 indexes
/// keep bit 63 zero, so the range is the same for signed <c>bigint</c> columns.
/// </summary>
public static class H3Ranges
{
    private const int ResolutionOffset = 52;
    private const ulong ResolutionMask = 0xFUL << ResolutionOffset;

    /// <summary>The bits of the digits for resolutions res+1 .. 15.</summary>
    private static ulong DigitsBelow(int res) => res >= 15 ? 0 : (1UL << ((15 - res) * 3)) - 1;

    /// <summary>The smallest and largest resolution-15 descendant of <paramref name="cell"/>.</summary>
    public static (long Min, long Max) Res15Range(ulong cell)
    {
        if (!H3.IsValidCell(cell)) throw new ArgumentException($"not a valid H3 cell: {cell:x}", nameof(cell));
        var res = H3.GetResolution(cell);
        var below = DigitsBelow(res);
        var min = (cell & ~ResolutionMask & ~below) | (15UL << ResolutionOffset);
        // Digit 6 (binary 110) in every position below the cell's resolution.
        var sixes = 0x6DB6DB6DB6DB6DB6UL & below;
        return ((long)min, (long)(min | sixes));
    }

    /// <summary>
    /// <c>(cell15 &amp; Keep) | Set</c> is the ancestor at <paramref name="res"/> of a resolution-15 cell:
    /// lets SQL bin stored cells without an H3 extension.
    /// </summary>
    public static (long Keep, long Set) ParentBits(int res)
    {
        if (res is < 0 or > 15) throw new ArgumentOutOfRangeException(nameof(res), res, "resolution must be 0..15");
        var below = DigitsBelow(res);
        return ((long)~(ResolutionMask | below), (long)(((ulong)res << ResolutionOffset) | below));
    }

    /// <summary>The cell of a point at <paramref name="res"/> and at resolution 15, as stored in a report.</summary>
    public static (string Index, long Cell15) ForPoint(double latDeg, double lngDeg, int res) =>
        (H3.CellToString(H3.LatLngToCell(latDeg, lngDeg, res)), (long)H3.LatLngToCell(latDeg, lngDeg, 15));
}
