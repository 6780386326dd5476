using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Peregrine.Domain.Geo;

/// <summary>
/// H3 v4 hexagonal grid, answering exactly as the reference C library (as shipped in h3-js
/// 4.5.0, the oracle the tests replay). Angles are degrees; a cell is its 64-bit index.
/// Bad input (resolution outside 0..15, non-finite coordinates, invalid cells) throws
/// <see cref="ArgumentException"/>; malformed strings throw <see cref="FormatException"/>.
/// </summary>
/// <remarks>
/// The pipeline, file by file: <c>LatLng</c> (sphere math) → <c>FaceIjk</c> (gnomonic projection
/// onto an icosahedron face, hex plane ⇄ IJK) → <c>CoordIjk</c> (aperture-7 hierarchy) →
/// <c>H3Index</c> (digits, base cell via <c>BaseCells</c>, rotations); grid algorithms sit on the
/// index digits: <c>GridDisk</c>, <c>LocalIj</c>, <c>Hierarchy</c>, <c>Polyfill</c>, <c>Area</c>.
/// </remarks>
public static class H3
{
    public const int MaxResolution = H3Index.MaxRes;

    /// <summary>The cell at <paramref name="res"/> containing the point (h3 latLngToCell). Allocation-free.</summary>
    public static ulong LatLngToCell(double latDeg, double lngDeg, int res)
    {
        CheckResolution(res);
        if (!double.IsFinite(latDeg) || !double.IsFinite(lngDeg)) ThrowNonFinite(latDeg, lngDeg);

        var fijk = FaceIjkMath.GeoToFaceIjk(SphereMath.DegsToRads(latDeg), SphereMath.DegsToRads(lngDeg), res);
        ulong cell = H3Index.FromFaceIjk(fijk, res);
        if (cell == 0) ThrowOutOfRangeCoordinates(latDeg, lngDeg);
        return cell;
    }

    /// <summary>The cell's centre in degrees (h3 cellToLatLng).</summary>
    public static (double Lat, double Lng) CellToLatLng(ulong cell)
    {
        CheckCell(cell);
        var g = FaceIjkMath.FaceIjkToGeo(H3Index.ToFaceIjk(cell), H3Index.GetResolution(cell));
        return (SphereMath.RadsToDegs(g.Lat), SphereMath.RadsToDegs(g.Lng));
    }

    /// <summary>
    /// Boundary vertices in h3 order (counter-clockwise, not closed): 6 for hexagons, 5 for
    /// pentagons, plus distortion vertices where a Class III edge crosses an icosahedron edge.
    /// </summary>
    public static IReadOnlyList<(double Lat, double Lng)> CellToBoundary(ulong cell)
    {
        Span<LatLng> verts = stackalloc LatLng[MaxBoundaryVerts];
        int n = Boundary(cell, verts);
        var result = new (double Lat, double Lng)[n];
        // vertices need 1e-7°: multiplying by 180/π (within an ulp of h3-js's rad·180/π) saves the divisions
        for (int i = 0; i < n; i++) result[i] = (verts[i].Lat * DegreesPerRadian, verts[i].Lng * DegreesPerRadian);
        return result;
    }

    /// <summary>Every cell within grid distance <paramref name="k"/> of the origin, origin included, each once.</summary>
    public static IReadOnlyList<ulong> GridDisk(ulong origin, int k)
    {
        CheckCell(origin);
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be non-negative.");

        long diskSize = 3L * k * (k + 1) + 1;
        long cellsAtRes = 2 + 120 * Pow7(H3Index.GetResolution(origin));
        if (Math.Min(diskSize, cellsAtRes) > MaxListLength)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "The disk would hold too many cells.");
        }

        // a disk bigger than the grid: the breadth-first walk stops once every cell is found
        if (diskSize > cellsAtRes) return Geo.GridDisk.Safe(origin, k).ToArray();
        return Geo.GridDisk.Disk(origin, k);
    }

    /// <summary>Grid steps from <paramref name="a"/> to <paramref name="b"/>; throws wherever h3 gridDistance errs.</summary>
    public static int GridDistance(ulong a, ulong b)
    {
        CheckCell(a);
        CheckCell(b);
        switch (LocalIj.Distance(a, b, out int distance))
        {
            case LocalIj.Result.Ok:
                return distance;
            case LocalIj.Result.ResolutionMismatch:
                throw new ArgumentException(
                    $"Cells {a:x} and {b:x} have different resolutions ({H3Index.GetResolution(a)} and {H3Index.GetResolution(b)}).");
            default:
                throw new ArgumentException(
                    $"The grid distance between {a:x} and {b:x} cannot be computed (too far apart or across a pentagon).");
        }
    }

    /// <summary>The ancestor of <paramref name="cell"/> at <paramref name="parentRes"/> (the cell itself at its own resolution).</summary>
    public static ulong CellToParent(ulong cell, int parentRes)
    {
        CheckCell(cell);
        int res = H3Index.GetResolution(cell);
        if (parentRes < 0 || parentRes > res)
        {
            throw new ArgumentOutOfRangeException(nameof(parentRes), parentRes, $"Parent resolution must be in 0..{res}.");
        }

        return Hierarchy.Parent(cell, parentRes);
    }

    /// <summary>All descendants of <paramref name="cell"/> at <paramref name="childRes"/>, each once.</summary>
    public static IReadOnlyList<ulong> CellToChildren(ulong cell, int childRes)
    {
        long size = CellToChildrenSize(cell, childRes);
        if (size > MaxListLength)
        {
            throw new ArgumentOutOfRangeException(nameof(childRes), childRes, $"{size} children are too many to list.");
        }

        var children = new ulong[size];
        Hierarchy.Children(cell, childRes, children);
        return children;
    }

    /// <summary>The number of cells <see cref="CellToChildren"/> returns (up to 7¹⁵).</summary>
    public static long CellToChildrenSize(ulong cell, int childRes)
    {
        CheckCell(cell);
        int res = H3Index.GetResolution(cell);
        if (childRes < res || childRes > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(childRes), childRes, $"Child resolution must be in {res}..{MaxResolution}.");
        }

        return Hierarchy.ChildrenSize(cell, childRes);
    }

    /// <summary>h3 v4 isValidCell.</summary>
    public static bool IsValidCell(ulong cell) => H3Index.IsValidCell(cell);

    /// <summary>Whether the (valid) cell is one of the 12 pentagons of its resolution.</summary>
    public static bool IsPentagon(ulong cell)
    {
        CheckCell(cell);
        return H3Index.IsPentagon(cell);
    }

    /// <summary>Resolution 0..15 of a valid cell.</summary>
    public static int GetResolution(ulong cell)
    {
        CheckCell(cell);
        return H3Index.GetResolution(cell);
    }

    /// <summary>Base cell 0..121 of a valid cell.</summary>
    public static int GetBaseCellNumber(ulong cell)
    {
        CheckCell(cell);
        return H3Index.GetBaseCell(cell);
    }

    /// <summary>
    /// Cells at <paramref name="res"/> whose centres lie inside the ring (h3 polygonToCells,
    /// centroid containment). The ring is in degrees, not closed, either winding, no holes; edges
    /// are straight in lat/lng and an edge spanning more than 180° of longitude crosses the antimeridian.
    /// </summary>
    public static IReadOnlyList<ulong> PolygonToCells(IReadOnlyList<(double Lat, double Lng)> outerRing, int res)
    {
        ArgumentNullException.ThrowIfNull(outerRing);
        CheckResolution(res);

        var ring = new LatLng[outerRing.Count];
        for (int i = 0; i < ring.Length; i++)
        {
            var (lat, lng) = outerRing[i];
            if (!double.IsFinite(lat) || !double.IsFinite(lng))
            {
                throw new ArgumentException($"Ring vertex {i} ({lat}, {lng}) is not finite.", nameof(outerRing));
            }

            ring[i] = new LatLng(SphereMath.DegsToRads(lat), SphereMath.DegsToRads(lng));
        }

        return Polyfill.PolygonToCells(ring, res);
    }

    /// <summary>The cell's exact area in km² (spherical polygon of its boundary, authalic radius 6371.007180918475 km).</summary>
    public static double CellAreaKm2(ulong cell)
    {
        Span<LatLng> verts = stackalloc LatLng[MaxBoundaryVerts];
        int n = Boundary(cell, verts, reference: true);
        return Area.CellAreaKm2(verts[..n]);
    }

    /// <summary>Lowercase hex without prefix or padding, like h3ToString.</summary>
    public static string CellToString(ulong cell) => cell.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses 1 to 16 hex digits (either case, no prefix or whitespace); not validated as a cell.</summary>
    public static ulong StringToCell(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Length is 0 or > 16) throw new FormatException($"An H3 index is 1 to 16 hex digits, got \"{s}\".");

        ulong value = 0;
        foreach (char c in s)
        {
            int d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (d < 0) throw new FormatException($"\"{s}\" is not hexadecimal.");
            value = (value << 4) | (uint)d;
        }

        return value;
    }

    private const int MaxBoundaryVerts = 10;
    private const double DegreesPerRadian = 180 / Math.PI;

    /// <summary>Largest list we materialise (cells); bigger requests are refused up front.</summary>
    private const long MaxListLength = 100_000_000;

    private static int Boundary(ulong cell, Span<LatLng> verts, bool reference = false)
    {
        CheckCell(cell);
        var fijk = H3Index.ToFaceIjk(cell);
        int res = H3Index.GetResolution(cell);
        return H3Index.IsPentagon(cell)
            ? FaceIjkMath.PentagonBoundary(fijk, res, verts, reference)
            : FaceIjkMath.HexagonBoundary(fijk, res, verts, reference);
    }

    private static long Pow7(int n)
    {
        long v = 1;
        for (int i = 0; i < n; i++) v *= 7;
        return v;
    }

    private static void CheckResolution(int res)
    {
        if ((uint)res > MaxResolution) ThrowResolution(res);
    }

    private static void CheckCell(ulong cell)
    {
        if (!H3Index.IsValidCell(cell)) ThrowInvalidCell(cell);
    }

    [DoesNotReturn]
    private static void ThrowResolution(int res) =>
        throw new ArgumentOutOfRangeException(nameof(res), res, $"Resolution must be in 0..{MaxResolution}.");

    [DoesNotReturn]
    private static void ThrowInvalidCell(ulong cell) => throw new ArgumentException($"{cell:x} is not a valid H3 cell.", nameof(cell));

    [DoesNotReturn]
    private static void ThrowNonFinite(double lat, double lng) =>
        throw new ArgumentException($"Coordinates must be finite, got ({lat}, {lng}).");

    [DoesNotReturn]
    private static void ThrowOutOfRangeCoordinates(double lat, double lng) =>
        throw new ArgumentException($"Coordinates ({lat}, {lng}) cannot be indexed.");
}
