namespace Peregrine.Domain.Geo;

/// <summary>
/// The H3 cells that a disk on the globe may touch, as resolution-15 index ranges: every point within
/// the distance lies in one of them (the converse need not hold; an exact distance test follows).
/// Lets "within d metres of a point" start from a few btree range scans on stored resolution-15 cells.
/// </summary>
public static class DiskCover
{
    // PostGIS measures on the spheroid; on the sphere the same pair of points is up to ~0.6% nearer or farther.
    private const double SpheroidSlack = 1.01;
    private const double SlackM = 10;
    // Average hexagon edge (m) per resolution (H3's published table): cells are picked about an eighth of the radius wide.
    private static readonly double[] EdgeM =
        [1_281_256.011, 483_056.839, 182_512.957, 68_979.222, 26_071.760, 9_854.091, 3_724.533, 1_406.476,
         531.414, 200.786, 75.864, 28.664, 10.830, 4.092, 1.546, 0.584];
    private const int MaxRings = 40;

    /// <summary>Merged ranges of resolution-15 indexes, or null when the disk is too large to be worth it.</summary>
    public static IReadOnlyList<(long Min, long Max)>? Res15Ranges(double latDeg, double lngDeg, double meters)
    {
        if (!(meters >= 0) || double.IsInfinity(meters) || Math.Abs(latDeg) > 90 || Math.Abs(lngDeg) > 180) return null;
        var res = 15;
        while (res > 0 && EdgeM[res] < meters / 8) res--;
        if (EdgeM[res] < meters / 8) return null;

        var origin = H3.LatLngToCell(latDeg, lngDeg, res);
        var reach = meters * SpheroidSlack + SlackM;
        var cells = new List<ulong>();
        var seen = new HashSet<ulong>();
        var emptyRings = 0;
        for (var k = 0; k <= MaxRings && emptyRings < 2; k++)
        {
            var any = false;
            foreach (var cell in H3.GridDisk(origin, k))
            {
                if (!seen.Add(cell)) continue;
                if (Touches(cell, latDeg, lngDeg, reach)) { cells.Add(cell); any = true; }
            }
            emptyRings = any ? 0 : emptyRings + 1;
            if (k == MaxRings && any) return null;
        }
        return Merge(cells.Select(H3Ranges.Res15Range).OrderBy(r => r.Min).ToList());
    }

    // The ranges hold a cell's resolution-15 descendants, whose area overhangs the cell itself (children
    // are not nested exactly): about 1.06 times the cell's radius (centre to farthest vertex) summed over the
    // levels below; 1.5 leaves room. A cell can hold a point within `reach` of P only if its centre is
    // within reach plus that.
    private const double DescendantOverhang = 1.5;

    private static bool Touches(ulong cell, double lat, double lng, double reach)
    {
        var center = H3.CellToLatLng(cell);
        var radius = H3.CellToBoundary(cell).Max(v => DistanceM(center.Lat, center.Lng, v.Lat, v.Lng));
        return DistanceM(lat, lng, center.Lat, center.Lng) <= reach + radius * DescendantOverhang + SlackM;
    }

    private static double DistanceM(double lat1, double lng1, double lat2, double lng2)
    {
        var (p1, p2) = (SphereMath.DegsToRads(lat1), SphereMath.DegsToRads(lat2));
        var (dLat, dLng) = (p2 - p1, SphereMath.DegsToRads(lng2 - lng1));
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Pow(Math.Sin(dLng / 2), 2);
        return 2 * SphereMath.EarthRadiusKm * 1000 * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static List<(long Min, long Max)> Merge(List<(long Min, long Max)> sorted)
    {
        var merged = new List<(long Min, long Max)>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.Min <= merged[^1].Max + 1)
                merged[^1] = (merged[^1].Min, Math.Max(merged[^1].Max, r.Max));
            else merged.Add(r);
        }
        return merged;
    }
}
