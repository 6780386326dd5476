namespace Peregrine.Domain.Geo;

/// <summary>
/// polygonToCells with centroid containment: the cells whose centre lies inside a lat/lng ring
/// (edges straight in lat/lng, h3's ray casting with its tie-breaks). Candidates come from a
/// walk down the hierarchy that skips any cell whose descendants' bounding box misses the ring's.
/// </summary>
internal static class Polyfill
{
    /// <summary>Max cell edge length (radians) per resolution, measured at base cell centres.</summary>
    private static readonly double[] MaxEdgeLengthRads =
    [
        0.21577206265130, 0.08308767068495, 0.03148970436439, 0.01190662871439,
        0.00450053330908, 0.00170105523619, 0.00064293917678, 0.00024300820659,
        0.00009184847087, 0.00003471545901, 0.00001312121017, 0.00000495935129,
        0.00000187445860, 0.00000070847876, 0.00000026777980, 0.00000010121125,
    ];

    /// <summary>
    /// Half-extent of a box around a cell centre that holds all its descendants, in max edge
    /// lengths. h3 found 1.4 sufficient by exhaustive test; we take a wider margin since the box
    /// only prunes the search and the centre test decides.
    /// </summary>
    private const double ChildScale = 2.0;

    /// <summary>Refuse fills that would visit more candidates than this, rather than run for hours.</summary>
    private const long MaxCandidates = 200_000_000;

    public static List<ulong> PolygonToCells(ReadOnlySpan<LatLng> ring, int res)
    {
        var result = new List<ulong>();
        if (ring.Length == 0) return result;

        var loop = ring.ToArray();
        var bbox = BBox.FromLoop(loop);
        long visited = 0;

        for (int bc = 0; bc < BaseCells.Count; bc++)
        {
            Visit(H3Index.Make(0, bc, 0), 0, res, loop, bbox, result, ref visited);
        }

        return result;
    }

    private static void Visit(ulong cell, int cellRes, int res, LatLng[] loop, in BBox bbox, List<ulong> result, ref long visited)
    {
        if (++visited > MaxCandidates)
        {
            throw new ArgumentException($"The polygon covers too many cells at resolution {res}.");
        }

        var center = FaceIjkMath.FaceIjkToGeo(H3Index.ToFaceIjk(cell), cellRes);
        if (cellRes == res)
        {
            if (PointInside(loop, bbox, center)) result.Add(cell);
            return;
        }

        // resolutions 0 and 1 are few and large (pentagon distortion); always descend
        if (cellRes >= 2 && !BBox.AroundCell(center, MaxEdgeLengthRads[cellRes] * ChildScale).Overlaps(bbox)) return;

        bool pentagon = H3Index.IsPentagon(cell);
        int childRes = cellRes + 1;
        ulong child = H3Index.SetResolution(cell, childRes);
        for (int d = 0; d < 7; d++)
        {
            if (pentagon && d == H3Index.KAxesDigit) continue;
            Visit(H3Index.SetDigit(child, childRes, d), childRes, res, loop, bbox, result, ref visited);
        }
    }

    /// <summary>h3's point-in-loop ray casting, with its antimeridian normalisation and tie-breaks.</summary>
    public static bool PointInside(LatLng[] loop, in BBox bbox, in LatLng coord)
    {
        if (!bbox.Contains(coord)) return false;

        bool isTransmeridian = bbox.IsTransmeridian;
        bool contains = false;
        double lat = coord.Lat;
        double lng = NormalizeLng(coord.Lng, isTransmeridian);

        for (int i = 0; i < loop.Length; i++)
        {
            var a = loop[i];
            var b = loop[(i + 1) % loop.Length];

            // the ray casting needs the second point above the first
            if (a.Lat > b.Lat) (a, b) = (b, a);

            // a latitude equal to a vertex's would count that vertex twice: nudge north
            if (lat == a.Lat || lat == b.Lat) lat += DblEpsilon;

            if (lat < a.Lat || lat > b.Lat) continue;

            double aLng = NormalizeLng(a.Lng, isTransmeridian);
            double bLng = NormalizeLng(b.Lng, isTransmeridian);

            // rays are cast eastwards; on an exact match bias west
            if (aLng == lng || bLng == lng) lng -= DblEpsilon;

            double ratio = (lat - a.Lat) / (b.Lat - a.Lat);
            double testLng = NormalizeLng(aLng + (bLng - aLng) * ratio, isTransmeridian);
            if (testLng > lng) contains = !contains;
        }

        return contains;
    }

    /// <summary>C's DBL_EPSILON (2⁻⁵²), not .NET's double.Epsilon (the smallest subnormal).</summary>
    private const double DblEpsilon = 2.220446049250313e-16;

    private static double NormalizeLng(double lng, bool isTransmeridian) =>
        isTransmeridian && lng < 0 ? lng + SphereMath.TwoPi : lng;

    /// <summary>A lat/lng box in radians; east &lt; west means it crosses the antimeridian.</summary>
    internal readonly record struct BBox(double North, double South, double East, double West)
    {
        public bool IsTransmeridian => East < West;

        public bool Contains(in LatLng p) =>
            p.Lat >= South && p.Lat <= North &&
            (IsTransmeridian ? p.Lng >= West || p.Lng <= East : p.Lng >= West && p.Lng <= East);

        /// <summary>h3's bbox of a loop: an edge spanning more than π of longitude marks it transmeridian.</summary>
        public static BBox FromLoop(LatLng[] loop)
        {
            double south = double.MaxValue, west = double.MaxValue, north = -double.MaxValue, east = -double.MaxValue;
            double minPosLng = double.MaxValue, maxNegLng = -double.MaxValue;
            bool isTransmeridian = false;
            for (int i = 0; i < loop.Length; i++)
            {
                var coord = loop[i];
                var next = loop[(i + 1) % loop.Length];
                double lat = coord.Lat, lng = coord.Lng;
                if (lat < south) south = lat;
                if (lng < west) west = lng;
                if (lat > north) north = lat;
                if (lng > east) east = lng;
                if (lng > 0 && lng < minPosLng) minPosLng = lng;
                if (lng < 0 && lng > maxNegLng) maxNegLng = lng;
                if (Math.Abs(lng - next.Lng) > Math.PI) isTransmeridian = true;
            }

            return isTransmeridian ? new BBox(north, south, maxNegLng, minPosLng) : new BBox(north, south, east, west);
        }

        /// <summary>A box of the given angular radius around a point, widened in longitude by latitude.</summary>
        public static BBox AroundCell(in LatLng center, double radius)
        {
            double north = center.Lat + radius;
            double south = center.Lat - radius;
            if (north >= SphereMath.HalfPi || south <= -SphereMath.HalfPi)
            {
                return new BBox(Math.Min(north, SphereMath.HalfPi), Math.Max(south, -SphereMath.HalfPi), Math.PI, -Math.PI);
            }

            double lngRadius = radius / Math.Cos(Math.Max(Math.Abs(north), Math.Abs(south)));
            if (lngRadius >= Math.PI) return new BBox(north, south, Math.PI, -Math.PI);

            double east = center.Lng + lngRadius;
            double west = center.Lng - lngRadius;
            if (east > Math.PI) east -= 2 * Math.PI;
            if (west < -Math.PI) west += 2 * Math.PI;
            return new BBox(north, south, east, west);
        }

        public bool Overlaps(in BBox other)
        {
            if (North < other.South || South > other.North) return false;

            Span<double> a = stackalloc double[4];
            Span<double> b = stackalloc double[4];
            int na = Intervals(a);
            int nb = other.Intervals(b);
            for (int i = 0; i < na; i += 2)
            {
                for (int j = 0; j < nb; j += 2)
                {
                    if (a[i] <= b[j + 1] && b[j] <= a[i + 1]) return true;
                }
            }

            return false;
        }

        /// <summary>The longitude range as one or two plain [west, east] intervals.</summary>
        private int Intervals(Span<double> output)
        {
            if (!IsTransmeridian)
            {
                output[0] = West;
                output[1] = East;
                return 2;
            }

            output[0] = West;
            output[1] = Math.PI;
            output[2] = -Math.PI;
            output[3] = East;
            return 4;
        }
    }
}
