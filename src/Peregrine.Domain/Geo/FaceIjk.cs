using System.Runtime.CompilerServices;

namespace Peregrine.Domain.Geo;

/// <summary>A cell (or substrate vertex) address: an icosahedron face and IJK+ coordinates on it.</summary>
internal struct FaceIjk
{
    public int Face;
    public CoordIjk Coord;

    public FaceIjk(int face, CoordIjk coord)
    {
        Face = face;
        Coord = coord;
    }
}

/// <summary>
/// Face-centred gnomonic projection: lat/lng ⇄ (face, 2D hex plane) ⇄ IJK. Each of the 20
/// icosahedron faces has its own plane, centred on the face centre with the i-axis pointing at
/// <see cref="FaceAxesAzRadsCii"/>[face]; Class III resolutions are rotated by
/// asin(sqrt(3/28)) against Class II.
/// </summary>
internal static partial class FaceIjkMath
{
    /// <summary>Icosahedron face centres as x, y, z on the unit sphere (3 per face).</summary>
    private static readonly double[] FaceCenterPoint =
    [
        0.2199307791404606, 0.6583691780274996, 0.7198475378926182,
        -0.2139234834501421, 0.1478171829550703, 0.9656017935214205,
        0.1092625278784797, -0.4811951572873210, 0.8697775121287253,
        0.7428567301586791, -0.3593941678278028, 0.5648005936517033,
        0.8112534709140969, 0.3448953237639384, 0.4721387736413930,
        -0.1055498149613921, 0.9794457296411413, 0.1718874610009365,
        -0.8075407579970092, 0.1533552485898818, 0.5695261994882688,
        -0.2846148069787907, -0.8644080972654206, 0.4144792552473539,
        0.7405621473854482, -0.6673299564565524, -0.0789837646326737,
        0.8512303986474293, 0.4722343788582681, -0.2289137388687808,
        -0.7405621473854481, 0.6673299564565524, 0.0789837646326737,
        -0.8512303986474292, -0.4722343788582682, 0.2289137388687808,
        0.1055498149613919, -0.9794457296411413, -0.1718874610009365,
        0.8075407579970092, -0.1533552485898819, -0.5695261994882688,
        0.2846148069787908, 0.8644080972654204, -0.4144792552473539,
        -0.7428567301586791, 0.3593941678278027, -0.5648005936517033,
        -0.8112534709140971, -0.3448953237639382, -0.4721387736413930,
        -0.2199307791404607, -0.6583691780274996, -0.7198475378926182,
        0.2139234834501420, -0.1478171829550704, -0.9656017935214205,
        -0.1092625278784796, 0.4811951572873210, -0.8697775121287253,
    ];

    /// <summary>Azimuth (radians) from each face centre to its vertex 0 — the Class II i-axis.</summary>
    internal static readonly double[] FaceAxesAzRadsCii =
    [
        5.619958268523939882, 5.760339081714187279, 0.780213654393430055, 0.430469363979999913,
        6.130269123335111400, 2.692877706530642877, 2.982963003477243874, 3.532912002790141181,
        3.494305004259568154, 3.003214169499538391, 5.930472956509811562, 0.138378484090254847,
        0.448714947059150361, 0.158629650112549365, 5.891865957979238535, 2.711123289609793325,
        3.294508837434268316, 3.804819692245439833, 3.664438879055192436, 2.361378999196363184,
    ];

    private static readonly Vec3[] FaceCenterVec = Enumerable.Range(0, 20)
        .Select(f => new Vec3(FaceCenterPoint[3 * f], FaceCenterPoint[3 * f + 1], FaceCenterPoint[3 * f + 2])).ToArray();

    // tangent basis at each face centre, computed once with the reference operations
    private static readonly Vec3[] FaceNorth = new Vec3[20];
    private static readonly Vec3[] FaceEast = new Vec3[20];

    static FaceIjkMath()
    {
        for (int f = 0; f < 20; f++) Vec3.TangentBasis(FaceCenterVec[f], out FaceNorth[f], out FaceEast[f]);
    }

    internal const double Sqrt7 = 2.6457513110645907;
    private const double InvSqrt7 = 0.3779644730092272;
    private const double Res0UGnomonic = 0.38196601125010500003;
    private const double InvRes0UGnomonic = 1.0 / Res0UGnomonic;
    private const double OneThird = 1.0 / 3.0;

    /// <summary>Rotation between Class II and Class III axes: asin(sqrt(3/28)).</summary>
    private static readonly double Ap7RotRads = Math.Asin(Math.Sqrt(3.0 / 28.0));

    /// <summary>The face whose centre is nearest the point, and the squared chord distance to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClosestFace(in Vec3 p, out double sqd)
    {
        var pts = FaceCenterPoint;
        int face = 0;
        double best = 5.0;
        for (int f = 0, o = 0; f < 20; f++, o += 3)
        {
            double dx = pts[o] - p.X;
            double dy = pts[o + 1] - p.Y;
            double dz = pts[o + 2] - p.Z;
            double d = dx * dx + dy * dy + dz * dz;
            if (d < best)
            {
                face = f;
                best = d;
            }
        }

        sqd = best;
        return face;
    }

    // cos/sin of each face's i-axis azimuth A, and of A less the Class III rotation
    private static readonly double[] AxisCos = FaceAxesAzRadsCii.Select(Math.Cos).ToArray();
    private static readonly double[] AxisSin = FaceAxesAzRadsCii.Select(Math.Sin).ToArray();
    private static readonly double[] AxisCosIii = FaceAxesAzRadsCii.Select(a => Math.Cos(a - Ap7RotRads)).ToArray();
    private static readonly double[] AxisSinIii = FaceAxesAzRadsCii.Select(a => Math.Sin(a - Ap7RotRads)).ToArray();

    /// <summary>1 / RES0_U_GNOMONIC × sqrt(7)^res: gnomonic units to the resolution's hex units.</summary>
    private static readonly double[] HexScale = BuildHexScale();

    private static double[] BuildHexScale()
    {
        var scale = new double[16];
        for (int res = 0; res < 16; res++)
        {
            double r = InvRes0UGnomonic;
            for (int i = 0; i < res; i++) r *= Sqrt7;
            scale[res] = r;
        }

        return scale;
    }

    /// <summary>
    /// The face and the 2D hex-plane position of a point at <paramref name="res"/>: the gnomonic
    /// projection onto the nearest face's plane, in that face's (Class II or III) axes.
    /// </summary>
    /// <remarks>
    /// h3 goes through angles: distance r = acos(p·c), azimuth α of p in the tangent basis (n, e)
    /// at the centre c, θ = A − α, then tan(r)·(cos θ, sin θ). With N = p·n, E = p·e we have
    /// cos α = N/h, sin α = E/h, h = sin r, so tan(r)·cos θ = (cos A·N + sin A·E) / cos r and
    /// tan(r)·sin θ = (sin A·N − cos A·E) / cos r: the same point with no inverse trig at all,
    /// agreeing with h3's to a few ulps — which moves a point only if it lies within ~1e-15 of a
    /// cell edge, where h3-js itself depends on the last bit of its libm.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GeoToHex2d(double lat, double lng, int res, out int face, out double vx, out double vy)
    {
        var p = Vec3.FromLatLng(lat, lng);
        face = ClosestFace(p, out double sqd);

        // cos(r) = 1 - 2 sin²(r/2) = 1 - sqd/2; r < EPSILON exactly when it rounds to 1
        double cosR = 1 - sqd / 2;
        if (cosR >= 1.0)
        {
            vx = vy = 0.0;
            return;
        }

        double n = Vec3.Dot(p, FaceNorth[face]);
        double e = Vec3.Dot(p, FaceEast[face]);
        bool classIii = (res & 1) == 1;
        double cosA = classIii ? AxisCosIii[face] : AxisCos[face];
        double sinA = classIii ? AxisSinIii[face] : AxisSin[face];
        double scale = HexScale[res] / cosR;
        vx = scale * (cosA * n + sinA * e);
        vy = scale * (sinA * n - cosA * e);
    }

    /// <summary>
    /// h3's own sequence for <see cref="GeoToHex2d"/> (acos, tangent-plane azimuth, tan, sin/cos),
    /// used where the closed form's last-ulp differences could matter: points on a cell edge.
    /// </summary>
    private static void GeoToHex2dReference(in Vec3 p, int face, double sqd, int res, out double vx, out double vy)
    {
        double r = Math.Acos(1 - sqd / 2);
        if (r < SphereMath.Epsilon)
        {
            vx = vy = 0.0;
            return;
        }

        // azimuth of p seen from the face centre, in the centre's tangent basis
        var c = FaceCenterVec[face];
        var proj = Vec3.LinComb(1.0, p, -Vec3.Dot(p, c), c).Normalize();
        double az = Math.Atan2(Vec3.Dot(proj, FaceEast[face]), Vec3.Dot(proj, FaceNorth[face]));

        // CCW theta from the Class II i-axis; Class III resolutions are rotated
        double theta = SphereMath.PosAngleRads(FaceAxesAzRadsCii[face] - SphereMath.PosAngleRads(az));
        if ((res & 1) == 1) theta = SphereMath.PosAngleRads(theta - Ap7RotRads);

        // gnomonic scaling, then scale to the resolution's unit length
        r = Math.Tan(r);
        r *= InvRes0UGnomonic;
        for (int i = 0; i < res; i++) r *= Sqrt7;

        var (sin, cos) = Math.SinCos(theta);
        vx = r * cos;
        vy = r * sin;
    }

    /// <summary>Points closer than this (in hex units) to a cell edge are re-projected h3's way.</summary>
    private const double EdgeMargin = 1e-9;

    /// <summary>FaceIJK address of the cell containing a point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FaceIjk GeoToFaceIjk(double lat, double lng, int res)
    {
        GeoToHex2d(lat, lng, res, out int face, out double x, out double y);
        var coord = CoordIjk.FromHex2d(x, y);
        if (NearCellEdge(coord, x, y))
        {
            var p = Vec3.FromLatLng(lat, lng);
            face = ClosestFace(p, out double sqd);
            GeoToHex2dReference(p, face, sqd, res, out x, out y);
            coord = CoordIjk.FromHex2d(x, y);
        }

        return new FaceIjk(face, coord);
    }

    /// <summary>
    /// Whether (x, y) lies within <see cref="EdgeMargin"/> of the edge of the hex it fell in: a
    /// hex of unit centre spacing holds the points whose offset from its centre projects to at
    /// most ½ on each of the three neighbour directions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NearCellEdge(in CoordIjk coord, double x, double y)
    {
        coord.ToHex2d(out double cx, out double cy);
        double dx = x - cx, dy = y - cy;
        const double limit = 0.5 - EdgeMargin;
        double a = Math.Abs(dx);
        double b = Math.Abs(0.5 * dx + CoordIjk.SqrtThreeHalves * dy);
        double c = Math.Abs(-0.5 * dx + CoordIjk.SqrtThreeHalves * dy);
        return a > limit || b > limit || c > limit;
    }

    /// <summary>
    /// The point on the sphere of a 2D hex-plane position on a face. On a substrate grid the
    /// position is in units of the aperture-3(-7) vertex lattice and already Class II aligned.
    /// </summary>
    public static LatLng Hex2dToGeo(double x, double y, int face, int res, bool substrate)
    {
        double r = Math.Sqrt(x * x + y * y);
        if (r < SphereMath.Epsilon) return FaceCenterVec[face].ToLatLng();

        double theta = Math.Atan2(y, x);

        // (dividing, not multiplying by 1/sqrt 7, agrees best with h3-js next to the poles)
        for (int i = 0; i < res; i++) r /= Sqrt7;

        if (substrate)
        {
            r *= OneThird;
            if ((res & 1) == 1) r /= Sqrt7;
        }

        r *= Res0UGnomonic;

        // inverse gnomonic
        r = Math.Atan(r);

        if (!substrate && (res & 1) == 1) theta = SphereMath.PosAngleRads(theta + Ap7RotRads);

        // theta as an azimuth
        theta = SphereMath.PosAngleRads(FaceAxesAzRadsCii[face] - theta);

        // the point at (r, theta) from the face centre, built in the centre's tangent basis
        var (sinTheta, cosTheta) = Math.SinCos(theta);
        var (sinR, cosR) = Math.SinCos(r);
        var dir = Vec3.LinComb(cosTheta, FaceNorth[face], sinTheta, FaceEast[face]);
        return Vec3.LinComb(cosR, FaceCenterVec[face], sinR, dir).Normalize().ToLatLng();
    }

    /// <summary>
    /// <see cref="Hex2dToGeo"/> for substrate vertices (boundaries), in closed form: with
    /// θ = A − atan2(y, x) and the distance atan(t), t = r·scale, the point
    /// cos(atan t)·c + sin(atan t)·(cos θ·n + sin θ·e) is, up to its length,
    /// c + scale·((cos A·x + sin A·y)·n + (sin A·x − cos A·y)·e) — one normalisation and
    /// two inverse trig calls instead of eight. Agrees with the reference form to ~1e-15 rad,
    /// except next to the poles where asin amplifies any difference, so there it defers to it.
    /// </summary>
    public static LatLng SubstrateHex2dToGeo(double x, double y, int face, int res)
    {
        double scale = Res0UGnomonic * OneThird;
        for (int i = 0; i < res; i++) scale *= InvSqrt7;
        if ((res & 1) == 1) scale *= InvSqrt7;

        double cosA = AxisCos[face], sinA = AxisSin[face];
        double u = scale * (cosA * x + sinA * y);
        double w = scale * (sinA * x - cosA * y);
        var c = FaceCenterVec[face];
        var n = FaceNorth[face];
        var e = FaceEast[face];
        var p = new Vec3(c.X + u * n.X + w * e.X, c.Y + u * n.Y + w * e.Y, c.Z + u * n.Z + w * e.Z).Normalize();
        if (Math.Abs(p.Z) > 0.9999) return Hex2dToGeo(x, y, face, res, substrate: true);
        return p.ToLatLng();
    }

    /// <summary>Centre of a cell given by its FaceIJK address.</summary>
    public static LatLng FaceIjkToGeo(in FaceIjk h, int res)
    {
        h.Coord.ToHex2d(out double x, out double y);
        return Hex2dToGeo(x, y, h.Face, res, substrate: false);
    }
}
