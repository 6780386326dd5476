using System.Runtime.CompilerServices;

namespace Peregrine.Domain.Geo;

/// <summary>
/// Hex coordinates on a face (or in a base cell's local space) in the three-axis IJK system:
/// axes 120° apart, normalised so that no component is negative and at least one is zero (IJK+).
/// Aperture-7 moves between resolutions alternate counter-clockwise (Class III, odd) and clockwise
/// (Class II, even) rotation; aperture-3 moves get to the substrate grid where cell vertices live.
/// </summary>
internal struct CoordIjk
{
    public int I;
    public int J;
    public int K;

    public CoordIjk(int i, int j, int k)
    {
        I = i;
        J = j;
        K = k;
    }

    /// <summary>Unit vectors per H3 digit (direction): 0 centre, 1 K, 2 J, 3 JK, 4 I, 5 IK, 6 IJ.</summary>
    internal static readonly CoordIjk[] UnitVecs =
    [
        new(0, 0, 0), new(0, 0, 1), new(0, 1, 0), new(0, 1, 1), new(1, 0, 0), new(1, 0, 1), new(1, 1, 0),
    ];

    public readonly bool Matches(in CoordIjk o) => I == o.I && J == o.J && K == o.K;

    public static CoordIjk operator +(in CoordIjk a, in CoordIjk b) => new(a.I + b.I, a.J + b.J, a.K + b.K);

    public static CoordIjk operator -(in CoordIjk a, in CoordIjk b) => new(a.I - b.I, a.J - b.J, a.K - b.K);

    public static CoordIjk operator *(in CoordIjk a, int s) => new(a.I * s, a.J * s, a.K * s);

    /// <summary>
    /// The unique IJK+ form: (i, j, k) and (i+t, j+t, k+t) are the same hex, so subtracting the
    /// minimum leaves no negative component and at least one zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Normalize()
    {
        int min = Math.Min(I, Math.Min(J, K));
        I -= min;
        J -= min;
        K -= min;
    }

    /// <summary>The digit (0..6) of a unit or zero vector, or 7 (invalid) for anything else.</summary>
    /// <remarks>The digits are numbered so that digit = 4i + 2j + k of its normalised unit vector.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int ToDigit()
    {
        var c = this;
        c.Normalize();
        if ((uint)c.I > 1 || (uint)c.J > 1 || (uint)c.K > 1) return H3Index.InvalidDigit;
        return (c.I << 2) | (c.J << 1) | c.K;
    }

    /// <summary>Parent in a counter-clockwise aperture-7 grid (coarser Class II from Class III).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void UpAp7()
    {
        int i = I - K;
        int j = J - K;
        I = RoundHalfAway((3 * i - j) * OneSeventh);
        J = RoundHalfAway((i + 2 * j) * OneSeventh);
        K = 0;
        Normalize();
    }

    /// <summary>Parent in a clockwise aperture-7 grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void UpAp7R()
    {
        int i = I - K;
        int j = J - K;
        I = RoundHalfAway((2 * i + j) * OneSeventh);
        J = RoundHalfAway((3 * j - i) * OneSeventh);
        K = 0;
        Normalize();
    }

    /// <summary>Centre child in the next finer counter-clockwise aperture-7 grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DownAp7()
    {
        // res r unit vectors in res r+1: i=(3,0,1) j=(1,3,0) k=(0,1,3)
        int i = 3 * I + J;
        int j = 3 * J + K;
        int k = I + 3 * K;
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    /// <summary>Centre child in the next finer clockwise aperture-7 grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DownAp7R()
    {
        // i=(3,1,0) j=(0,3,1) k=(1,0,3)
        int i = 3 * I + K;
        int j = I + 3 * J;
        int k = J + 3 * K;
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    /// <summary>Centre in the next finer counter-clockwise aperture-3 grid.</summary>
    public void DownAp3()
    {
        // i=(2,0,1) j=(1,2,0) k=(0,1,2)
        int i = 2 * I + J;
        int j = 2 * J + K;
        int k = I + 2 * K;
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    /// <summary>Centre in the next finer clockwise aperture-3 grid.</summary>
    public void DownAp3R()
    {
        // i=(2,1,0) j=(0,2,1) k=(1,0,2)
        int i = 2 * I + K;
        int j = I + 2 * J;
        int k = J + 2 * K;
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    /// <summary>Moves one cell in the given digit direction (no-op for the centre or invalid digit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Neighbor(int digit)
    {
        if (digit > 0 && digit < 7)
        {
            var u = UnitVecs[digit];
            I += u.I;
            J += u.J;
            K += u.K;
            Normalize();
        }
    }

    public void Rotate60Ccw()
    {
        // i=(1,1,0) j=(0,1,1) k=(1,0,1)
        int i = I + K;
        int j = I + J;
        int k = J + K;
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    public void Rotate60Cw()
    {
        // i=(1,0,1) j=(1,1,0) k=(0,1,1)
        int i = I + J;
        int j = J + K;
        int k = I + K;
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    /// <summary>Grid distance between two IJK+ coordinates of the same space.</summary>
    public static int Distance(in CoordIjk a, in CoordIjk b)
    {
        var d = a - b;
        d.Normalize();
        return Math.Max(Math.Abs(d.I), Math.Max(Math.Abs(d.J), Math.Abs(d.K)));
    }

    /// <summary>Centre of this hex in the face's 2D plane (unit: distance between neighbour centres).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void ToHex2d(out double x, out double y)
    {
        int i = I - K;
        int j = J - K;
        x = i - 0.5 * j;
        y = j * SqrtThreeHalves;
    }

    /// <summary>
    /// The hex containing a point of the face's 2D plane: quantise into the IJ system, round by
    /// which of the sub-triangles the remainder falls in, then fold back across the axes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CoordIjk FromHex2d(double x, double y)
    {
        double a1 = Math.Abs(x);
        double a2 = Math.Abs(y);

        // reverse conversion: x2 = a2 / sin(60°)
        double x2 = a2 / SqrtThreeHalves;
        double x1 = a1 + x2 / 2.0;

        int m1 = (int)x1;
        int m2 = (int)x2;
        double r1 = x1 - m1;
        double r2 = x2 - m2;

        int hi, hj;
        if (r1 < 0.5)
        {
            if (r1 < 1.0 / 3.0)
            {
                hi = m1;
                hj = r2 < (1.0 + r1) / 2.0 ? m2 : m2 + 1;
            }
            else
            {
                hj = r2 < 1.0 - r1 ? m2 : m2 + 1;
                hi = (1.0 - r1) <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
            }
        }
        else
        {
            if (r1 < 2.0 / 3.0)
            {
                hj = r2 < 1.0 - r1 ? m2 : m2 + 1;
                hi = (2.0 * r1 - 1.0) < r2 && r2 < 1.0 - r1 ? m1 : m1 + 1;
            }
            else
            {
                hi = m1 + 1;
                hj = r2 < r1 / 2.0 ? m2 : m2 + 1;
            }
        }

        // fold across the axes if necessary
        if (x < 0.0)
        {
            if ((hj % 2) == 0)
            {
                long axisi = hj / 2;
                long diff = hi - axisi;
                hi = (int)(hi - 2.0 * diff);
            }
            else
            {
                long axisi = (hj + 1) / 2;
                long diff = hi - axisi;
                hi = (int)(hi - (2.0 * diff + 1));
            }
        }

        if (y < 0.0)
        {
            hi -= (2 * hj + 1) / 2;
            hj = -hj;
        }

        var h = new CoordIjk(hi, hj, 0);
        h.Normalize();
        return h;
    }

    public override readonly string ToString() => $"({I}, {J}, {K})";

    private const double OneSeventh = 1.0 / 7.0;

    /// <summary>sqrt(3)/2 = sin(60°).</summary>
    internal const double SqrtThreeHalves = 0.8660254037844386;

    /// <summary>
    /// C lround (halves away from zero). The argument is an integer times 1/7, whose fraction is
    /// never near ½, so round-to-nearest-even (one instruction) gives the same integer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundHalfAway(double v) => (int)Math.Round(v);
}
