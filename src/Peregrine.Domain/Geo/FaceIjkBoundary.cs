namespace Peregrine.Domain.Geo;

/// <summary>
/// Cell vertices and face overage: a cell near a face edge has some of its vertices (or, for
/// cells on a base cell that is not centred on the face, its centre) on a neighbouring face; they
/// are re-expressed in that face's coordinates with the <see cref="FaceNeighbors"/> orientation.
/// At Class III resolutions a cell edge may cross an icosahedron edge, and h3 inserts the crossing
/// point as an extra "distortion" vertex so each half-edge is projected on its own face.
/// </summary>
internal static partial class FaceIjkMath
{
    // quadrants of a face, relative to its centre
    private const int Ij = 1;
    private const int Ki = 2;
    private const int Jk = 3;

    /// <summary>Neighbouring face, translation (in res-0 units) and 60° ccw rotations, per quadrant.</summary>
    private readonly record struct FaceOrient(int Face, CoordIjk Translate, int CcwRot60);

    /// <summary>Per face: [central, ij, ki, jk] neighbours.</summary>
    private static readonly FaceOrient[][] FaceNeighbors =
    [
        [new(0, new(0, 0, 0), 0), new(4, new(2, 0, 2), 1), new(1, new(2, 2, 0), 5), new(5, new(0, 2, 2), 3)],
        [new(1, new(0, 0, 0), 0), new(0, new(2, 0, 2), 1), new(2, new(2, 2, 0), 5), new(6, new(0, 2, 2), 3)],
        [new(2, new(0, 0, 0), 0), new(1, new(2, 0, 2), 1), new(3, new(2, 2, 0), 5), new(7, new(0, 2, 2), 3)],
        [new(3, new(0, 0, 0), 0), new(2, new(2, 0, 2), 1), new(4, new(2, 2, 0), 5), new(8, new(0, 2, 2), 3)],
        [new(4, new(0, 0, 0), 0), new(3, new(2, 0, 2), 1), new(0, new(2, 2, 0), 5), new(9, new(0, 2, 2), 3)],
        [new(5, new(0, 0, 0), 0), new(10, new(2, 2, 0), 3), new(14, new(2, 0, 2), 3), new(0, new(0, 2, 2), 3)],
        [new(6, new(0, 0, 0), 0), new(11, new(2, 2, 0), 3), new(10, new(2, 0, 2), 3), new(1, new(0, 2, 2), 3)],
        [new(7, new(0, 0, 0), 0), new(12, new(2, 2, 0), 3), new(11, new(2, 0, 2), 3), new(2, new(0, 2, 2), 3)],
        [new(8, new(0, 0, 0), 0), new(13, new(2, 2, 0), 3), new(12, new(2, 0, 2), 3), new(3, new(0, 2, 2), 3)],
        [new(9, new(0, 0, 0), 0), new(14, new(2, 2, 0), 3), new(13, new(2, 0, 2), 3), new(4, new(0, 2, 2), 3)],
        [new(10, new(0, 0, 0), 0), new(5, new(2, 2, 0), 3), new(6, new(2, 0, 2), 3), new(15, new(0, 2, 2), 3)],
        [new(11, new(0, 0, 0), 0), new(6, new(2, 2, 0), 3), new(7, new(2, 0, 2), 3), new(16, new(0, 2, 2), 3)],
        [new(12, new(0, 0, 0), 0), new(7, new(2, 2, 0), 3), new(8, new(2, 0, 2), 3), new(17, new(0, 2, 2), 3)],
        [new(13, new(0, 0, 0), 0), new(8, new(2, 2, 0), 3), new(9, new(2, 0, 2), 3), new(18, new(0, 2, 2), 3)],
        [new(14, new(0, 0, 0), 0), new(9, new(2, 2, 0), 3), new(5, new(2, 0, 2), 3), new(19, new(0, 2, 2), 3)],
        [new(15, new(0, 0, 0), 0), new(16, new(2, 0, 2), 1), new(19, new(2, 2, 0), 5), new(10, new(0, 2, 2), 3)],
        [new(16, new(0, 0, 0), 0), new(17, new(2, 0, 2), 1), new(15, new(2, 2, 0), 5), new(11, new(0, 2, 2), 3)],
        [new(17, new(0, 0, 0), 0), new(18, new(2, 0, 2), 1), new(16, new(2, 2, 0), 5), new(12, new(0, 2, 2), 3)],
        [new(18, new(0, 0, 0), 0), new(19, new(2, 0, 2), 1), new(17, new(2, 2, 0), 5), new(13, new(0, 2, 2), 3)],
        [new(19, new(0, 0, 0), 0), new(15, new(2, 0, 2), 1), new(18, new(2, 2, 0), 5), new(14, new(0, 2, 2), 3)],
    ];

    /// <summary>Quadrant (1 IJ, 2 KI, 3 JK) from a face towards an adjacent face, 0 itself, -1 not adjacent.</summary>
    private static readonly sbyte[,] AdjacentFaceDir = BuildAdjacentFaceDir();

    private static sbyte[,] BuildAdjacentFaceDir()
    {
        var dir = new sbyte[20, 20];
        for (int a = 0; a < 20; a++)
        {
            for (int b = 0; b < 20; b++) dir[a, b] = -1;
            dir[a, a] = 0;
            for (int q = Ij; q <= Jk; q++) dir[a, FaceNeighbors[a][q].Face] = (sbyte)q;
        }

        return dir;
    }

    /// <summary>Largest i+j+k on a face at each Class II resolution (overage threshold).</summary>
    private static readonly int[] MaxDimByCiiRes =
        [2, -1, 14, -1, 98, -1, 686, -1, 4802, -1, 33614, -1, 235298, -1, 1647086, -1, 11529602];

    /// <summary>Res-0 unit length in cells of each Class II resolution.</summary>
    private static readonly int[] UnitScaleByCiiRes =
        [1, -1, 7, -1, 49, -1, 343, -1, 2401, -1, 16807, -1, 117649, -1, 823543, -1, 5764801];

    private enum Overage
    {
        None = 0,
        FaceEdge = 1,
        NewFace = 2,
    }

    // vertices of an origin-centred cell on the substrate grid, ccw from the i-axis
    private static readonly CoordIjk[] VertsCii = [new(2, 1, 0), new(1, 2, 0), new(0, 2, 1), new(0, 1, 2), new(1, 0, 2), new(2, 0, 1)];
    private static readonly CoordIjk[] VertsCiii = [new(5, 4, 0), new(1, 5, 0), new(0, 5, 4), new(0, 1, 5), new(4, 0, 5), new(5, 0, 1)];

    /// <summary>
    /// Re-expresses a FaceIJK that has run off its face (i+j+k above the face size) on the
    /// neighbouring face. <paramref name="substrate"/> means the coordinates are on the ×3 vertex grid.
    /// </summary>
    private static Overage AdjustOverageClassII(ref FaceIjk fijk, int res, bool pentLeading4, bool substrate)
    {
        var overage = Overage.None;
        ref var ijk = ref fijk.Coord;

        int maxDim = MaxDimByCiiRes[res];
        if (substrate) maxDim *= 3;

        int sum = ijk.I + ijk.J + ijk.K;
        if (substrate && sum == maxDim)
        {
            overage = Overage.FaceEdge;
        }
        else if (sum > maxDim)
        {
            overage = Overage.NewFace;

            FaceOrient orient;
            if (ijk.K > 0)
            {
                if (ijk.J > 0)
                {
                    orient = FaceNeighbors[fijk.Face][Jk];
                }
                else
                {
                    orient = FaceNeighbors[fijk.Face][Ki];

                    // adjust for the pentagonal missing sequence
                    if (pentLeading4)
                    {
                        var origin = new CoordIjk(maxDim, 0, 0);
                        var tmp = ijk - origin;
                        tmp.Rotate60Cw();
                        ijk = tmp + origin;
                    }
                }
            }
            else
            {
                orient = FaceNeighbors[fijk.Face][Ij];
            }

            fijk.Face = orient.Face;

            for (int i = 0; i < orient.CcwRot60; i++) ijk.Rotate60Ccw();

            int unitScale = UnitScaleByCiiRes[res];
            if (substrate) unitScale *= 3;
            ijk = ijk + orient.Translate * unitScale;
            ijk.Normalize();

            // overage points on pentagon boundaries can end up on edges
            if (substrate && ijk.I + ijk.J + ijk.K == maxDim) overage = Overage.FaceEdge;
        }

        return overage;
    }

    private static Overage AdjustPentVertOverage(ref FaceIjk fijk, int res)
    {
        Overage overage;
        do
        {
            overage = AdjustOverageClassII(ref fijk, res, pentLeading4: false, substrate: true);
        }
        while (overage == Overage.NewFace);

        return overage;
    }

    /// <summary>
    /// Moves a cell centre to the substrate grid (aperture 3, 3r and for Class III 7r, which lands
    /// on Class II) where its vertices have integer coordinates, and returns them.
    /// </summary>
    private static int ToVerts(ref FaceIjk fijk, int res, Span<FaceIjk> verts, int count)
    {
        bool classIii = (res & 1) == 1;
        var offsets = classIii ? VertsCiii : VertsCii;

        fijk.Coord.DownAp3();
        fijk.Coord.DownAp3R();
        if (classIii)
        {
            fijk.Coord.DownAp7R();
            res += 1;
        }

        for (int v = 0; v < count; v++)
        {
            var c = fijk.Coord + offsets[v];
            c.Normalize();
            verts[v] = new FaceIjk(fijk.Face, c);
        }

        return res;
    }

    private static void FaceEdgeVertices(int adjRes, int dir, out double e0x, out double e0y, out double e1x, out double e1y)
    {
        int maxDim = MaxDimByCiiRes[adjRes];
        double yv = 3.0 * CoordIjk.SqrtThreeHalves * maxDim;
        double v0x = 3.0 * maxDim, v0y = 0.0;
        double v1x = -1.5 * maxDim, v1y = yv;
        double v2x = -1.5 * maxDim, v2y = -yv;
        switch (dir)
        {
            case Ij:
                (e0x, e0y, e1x, e1y) = (v0x, v0y, v1x, v1y);
                break;
            case Jk:
                (e0x, e0y, e1x, e1y) = (v1x, v1y, v2x, v2y);
                break;
            default:
                (e0x, e0y, e1x, e1y) = (v2x, v2y, v0x, v0y);
                break;
        }
    }

    /// <summary>Intersection of the lines p0–p1 and p2–p3.</summary>
    private static void Intersect(double p0x, double p0y, double p1x, double p1y,
        double p2x, double p2y, double p3x, double p3y, out double x, out double y)
    {
        double s1x = p1x - p0x, s1y = p1y - p0y;
        double s2x = p3x - p2x, s2y = p3y - p2y;
        double t = (s2x * (p0y - p2y) - s2y * (p0x - p2x)) / (-s2x * s1y + s1x * s2y);
        x = p0x + t * s1x;
        y = p0y + t * s1y;
    }

    private const double FloatEpsilon = 1.1920928955078125e-07;

    private static bool Equal2d(double ax, double ay, double bx, double by) =>
        Math.Abs(ax - bx) < FloatEpsilon && Math.Abs(ay - by) < FloatEpsilon;

    /// <summary>
    /// A substrate vertex on the sphere: the closed form, or with <paramref name="reference"/> the
    /// reference operation sequence (for the area, whose edge terms cancel badly near the poles
    /// and the antimeridian, so it should see the very same vertices as h3).
    /// </summary>
    private static LatLng Vertex(double x, double y, int face, int res, bool reference) =>
        reference ? Hex2dToGeo(x, y, face, res, substrate: true) : SubstrateHex2dToGeo(x, y, face, res);

    /// <summary>Boundary of a hexagon, ccw, with distortion vertices; returns the vertex count.</summary>
    public static int HexagonBoundary(in FaceIjk h, int res, Span<LatLng> output, bool reference = false)
    {
        var center = h;
        Span<FaceIjk> verts = stackalloc FaceIjk[6];
        int adjRes = ToVerts(ref center, res, verts, 6);
        bool classIii = (res & 1) == 1;

        int n = 0;
        int lastFace = -1;
        var lastOverage = Overage.None;
        // one more iteration than vertices, to check the last edge for a crossing
        for (int vert = 0; vert < 7; vert++)
        {
            int v = vert % 6;
            var fijk = verts[v];
            var overage = AdjustOverageClassII(ref fijk, adjRes, pentLeading4: false, substrate: true);

            // a Class III edge that crosses an icosahedron edge gets the crossing as an extra vertex
            // (Class II cell edges have their vertices on the face edge, never crossing it)
            if (classIii && vert > 0 && fijk.Face != lastFace && lastOverage != Overage.FaceEdge)
            {
                int lastV = (v + 5) % 6;
                verts[lastV].Coord.ToHex2d(out double o0x, out double o0y);
                verts[v].Coord.ToHex2d(out double o1x, out double o1y);

                int face2 = lastFace == center.Face ? fijk.Face : lastFace;
                FaceEdgeVertices(adjRes, AdjacentFaceDir[center.Face, face2], out double e0x, out double e0y, out double e1x, out double e1y);
                Intersect(o0x, o0y, o1x, o1y, e0x, e0y, e1x, e1y, out double ix, out double iy);

                // an intersection at a vertex means both adjacent edges lie on one face each
                if (!Equal2d(o0x, o0y, ix, iy) && !Equal2d(o1x, o1y, ix, iy))
                {
                    output[n++] = Vertex(ix, iy, center.Face, adjRes, reference);
                }
            }

            if (vert < 6)
            {
                fijk.Coord.ToHex2d(out double x, out double y);
                output[n++] = Vertex(x, y, fijk.Face, adjRes, reference);
            }

            lastFace = fijk.Face;
            lastOverage = overage;
        }

        return n;
    }

    /// <summary>Boundary of a pentagon, ccw; at Class III every edge crosses an icosahedron edge.</summary>
    public static int PentagonBoundary(in FaceIjk h, int res, Span<LatLng> output, bool reference = false)
    {
        var center = h;
        Span<FaceIjk> verts = stackalloc FaceIjk[6];
        int adjRes = ToVerts(ref center, res, verts, 5);
        bool classIii = (res & 1) == 1;

        int n = 0;
        FaceIjk last = default;
        for (int vert = 0; vert < 6; vert++)
        {
            int v = vert % 5;
            var fijk = verts[v];
            AdjustPentVertOverage(ref fijk, adjRes);

            if (classIii && vert > 0)
            {
                // express the last vertex on the face of this one's neighbour towards it
                var tmp = fijk;
                last.Coord.ToHex2d(out double o0x, out double o0y);

                int currentToLastDir = AdjacentFaceDir[tmp.Face, last.Face];
                var orient = FaceNeighbors[tmp.Face][currentToLastDir];
                tmp.Face = orient.Face;
                for (int i = 0; i < orient.CcwRot60; i++) tmp.Coord.Rotate60Ccw();
                tmp.Coord = tmp.Coord + orient.Translate * (UnitScaleByCiiRes[adjRes] * 3);
                tmp.Coord.Normalize();
                tmp.Coord.ToHex2d(out double o1x, out double o1y);

                FaceEdgeVertices(adjRes, AdjacentFaceDir[tmp.Face, fijk.Face], out double e0x, out double e0y, out double e1x, out double e1y);
                Intersect(o0x, o0y, o1x, o1y, e0x, e0y, e1x, e1y, out double ix, out double iy);
                output[n++] = Vertex(ix, iy, tmp.Face, adjRes, reference);
            }

            if (vert < 5)
            {
                fijk.Coord.ToHex2d(out double x, out double y);
                output[n++] = Vertex(x, y, fijk.Face, adjRes, reference);
            }

            last = fijk;
        }

        return n;
    }

    /// <summary>
    /// Finds the face a cell centre really lies on when its base cell's home face is not the
    /// right one (the cell has run over a face edge). Used by <see cref="H3Index.ToFaceIjk"/>.
    /// </summary>
    public static bool AdjustCenterOverage(ref FaceIjk fijk, int res, bool pentLeading4) =>
        AdjustOverageClassII(ref fijk, res, pentLeading4, substrate: false) != Overage.None;
}
