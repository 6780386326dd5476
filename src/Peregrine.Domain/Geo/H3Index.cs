using System.Numerics;
using System.Runtime.CompilerServices;

namespace Peregrine.Domain.Geo;

/// <summary>
/// The 64-bit H3 cell index: bit 63 reserved (0), bits 59–62 mode (1 = cell), 56–58 reserved
/// (0 for cells), 52–55 resolution, 45–51 base cell, then fifteen 3-bit digits for resolutions
/// 1..15 (digits past the cell's resolution are all 7). Also the digit rotations and the
/// conversions between an index and its FaceIJK address.
/// </summary>
internal static class H3Index
{
    public const int MaxRes = 15;
    public const int InvalidDigit = 7;
    public const int CenterDigit = 0;
    public const int KAxesDigit = 1;
    public const int JAxesDigit = 2;
    public const int JkAxesDigit = 3;
    public const int IAxesDigit = 4;
    public const int IkAxesDigit = 5;
    public const int IjAxesDigit = 6;

    private const int ResOffset = 52;
    private const int BaseCellOffset = 45;
    private const ulong ResMask = 15UL << ResOffset;
    private const ulong BaseCellMask = 127UL << BaseCellOffset;
    private const ulong DigitsMask = (1UL << 45) - 1;

    /// <summary>Mode 1 (cell), resolution 0, base cell 0, all digits 7.</summary>
    private const ulong CellInit = (1UL << 59) | DigitsMask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetResolution(ulong h) => (int)((h >> ResOffset) & 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetBaseCell(ulong h) => (int)((h >> BaseCellOffset) & 127);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetResolution(ulong h, int res) => (h & ~ResMask) | ((ulong)res << ResOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetBaseCell(ulong h, int baseCell) => (h & ~BaseCellMask) | ((ulong)baseCell << BaseCellOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetDigit(ulong h, int res) => (int)((h >> ((MaxRes - res) * 3)) & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetDigit(ulong h, int res, int digit)
    {
        int shift = (MaxRes - res) * 3;
        return (h & ~(7UL << shift)) | ((ulong)digit << shift);
    }

    /// <summary>A cell with every digit 1..res set to <paramref name="digit"/>.</summary>
    public static ulong Make(int res, int baseCell, int digit)
    {
        ulong h = SetBaseCell(SetResolution(CellInit, res), baseCell);
        for (int r = 1; r <= res; r++) h = SetDigit(h, r, digit);
        return h;
    }

    /// <summary>
    /// h3 v4 isValidCell: top byte 0b0_0001_000, base cell below 122, no digit 7 within the
    /// resolution, all digits past it 7, and on a pentagon base cell the first non-zero digit not 1.
    /// </summary>
    public static bool IsValidCell(ulong h)
    {
        if ((h >> 56) != 0b0000_1000) return false;

        int res = GetResolution(h);
        int bc = GetBaseCell(h);
        if (bc >= BaseCells.Count) return false;

        // any digit 7 in 1..res: a digit is 7 exactly when its high bit and both lower bits are set
        ulong used = res == 0 ? 0 : (h & DigitsMask) >> ((MaxRes - res) * 3);
        ulong sevens = used & (used >> 1) & (used >> 2) & DigitsOfOnes(res);
        if (sevens != 0) return false;

        // all digits after res are 7
        if (res < MaxRes)
        {
            ulong unusedMask = (1UL << ((MaxRes - res) * 3)) - 1;
            if ((h & unusedMask) != unusedMask) return false;
        }

        if (BaseCells.IsPentagon(bc))
        {
            // the first non-zero digit must not be 1 (the deleted k-axes subsequence)
            ulong digits = h & DigitsMask;
            if (digits != 0)
            {
                int first = 63 - BitOperations.LeadingZeroCount(digits);
                if (first % 3 == 0) return false;
            }
        }

        return true;
    }

    /// <summary>Bit pattern with a 1 at the low bit of each of the <paramref name="res"/> lowest digits.</summary>
    private static ulong DigitsOfOnes(int res) => 0x1249249249249249UL & ((1UL << (res * 3)) - 1);

    /// <summary>First non-zero digit in 1..res, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LeadingNonZeroDigit(ulong h)
    {
        int res = GetResolution(h);
        for (int r = 1; r <= res; r++)
        {
            int d = GetDigit(h, r);
            if (d != 0) return d;
        }

        return CenterDigit;
    }

    public static bool IsPentagon(ulong h) => BaseCells.IsPentagon(GetBaseCell(h)) && LeadingNonZeroDigit(h) == 0;

    // digit → digit rotated 60° ccw / cw (7 stays 7)
    private static readonly byte[] Ccw = [0, 5, 3, 1, 6, 4, 2, 7];
    private static readonly byte[] Cw = [0, 3, 6, 2, 5, 1, 4, 7];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RotateDigit60Ccw(int digit) => Ccw[digit];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RotateDigit60Cw(int digit) => Cw[digit];

    public static ulong Rotate60Ccw(ulong h)
    {
        for (int r = 1, res = GetResolution(h); r <= res; r++) h = SetDigit(h, r, Ccw[GetDigit(h, r)]);
        return h;
    }

    public static ulong Rotate60Cw(ulong h)
    {
        for (int r = 1, res = GetResolution(h); r <= res; r++) h = SetDigit(h, r, Cw[GetDigit(h, r)]);
        return h;
    }

    /// <summary>Rotates 60° ccw about a pentagon centre, stepping over the deleted k-axes subsequence.</summary>
    public static ulong RotatePent60Ccw(ulong h)
    {
        bool foundFirstNonZero = false;
        for (int r = 1, res = GetResolution(h); r <= res; r++)
        {
            h = SetDigit(h, r, Ccw[GetDigit(h, r)]);
            if (!foundFirstNonZero && GetDigit(h, r) != 0)
            {
                foundFirstNonZero = true;
                if (LeadingNonZeroDigit(h) == KAxesDigit) h = Rotate60Ccw(h);
            }
        }

        return h;
    }

    /// <summary>Rotates 60° cw about a pentagon centre, stepping over the deleted k-axes subsequence.</summary>
    public static ulong RotatePent60Cw(ulong h)
    {
        bool foundFirstNonZero = false;
        for (int r = 1, res = GetResolution(h); r <= res; r++)
        {
            h = SetDigit(h, r, Cw[GetDigit(h, r)]);
            if (!foundFirstNonZero && GetDigit(h, r) != 0)
            {
                foundFirstNonZero = true;
                if (LeadingNonZeroDigit(h) == KAxesDigit) h = Rotate60Cw(h);
            }
        }

        return h;
    }

    /// <summary>
    /// Index of a FaceIJK address: walk up the aperture-7 hierarchy recording the digit at each
    /// level, look the res-0 position up in the face's base cell table, then rotate the digits
    /// into that base cell's orientation. Returns 0 if the coordinates are off the face.
    /// </summary>
    /// <remarks>
    /// The walk runs in two-axis IJ coordinates (i−k, j−k), which are unique per hex, so none of
    /// the intermediate IJK normalisations are needed; the arithmetic (including the rounding of
    /// the parent's coordinates) is the same as the three-axis form.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromFaceIjk(in FaceIjk fijk, int res)
    {
        ulong h = SetResolution(CellInit, res);
        int i = fijk.Coord.I - fijk.Coord.K;
        int j = fijk.Coord.J - fijk.Coord.K;

        for (int r = res; r >= 1; r--)
        {
            int pi, pj, ci, cj;
            if ((r & 1) == 1)
            {
                // counter-clockwise aperture 7 (Class III)
                pi = (int)Math.Round((3 * i - j) * OneSeventh);
                pj = (int)Math.Round((i + 2 * j) * OneSeventh);
                ci = 2 * pi + pj;
                cj = 3 * pj - pi;
            }
            else
            {
                pi = (int)Math.Round((2 * i + j) * OneSeventh);
                pj = (int)Math.Round((3 * j - i) * OneSeventh);
                ci = 3 * pi - pj;
                cj = pi + 2 * pj;
            }

            h = SetDigit(h, r, IjDigit(i - ci, j - cj));
            i = pi;
            j = pj;
        }

        var ijk = new CoordIjk(i, j, 0);
        ijk.Normalize();
        if (ijk.I > 2 || ijk.J > 2 || ijk.K > 2) return 0;

        int baseCell = BaseCells.FromFaceIjk(fijk.Face, ijk);
        h = SetBaseCell(h, baseCell);

        int numRots = BaseCells.RotationsFromFaceIjk(fijk.Face, ijk);
        if (BaseCells.IsPentagon(baseCell))
        {
            // force rotation out of the missing k-axes subsequence
            if (LeadingNonZeroDigit(h) == KAxesDigit)
            {
                h = BaseCells.IsCwOffset(baseCell, fijk.Face) ? Rotate60Cw(h) : Rotate60Ccw(h);
            }

            for (int n = 0; n < numRots; n++) h = RotatePent60Ccw(h);
        }
        else if (numRots > 0)
        {
            h = RotateCcw(h, numRots);
        }

        return h;
    }

    private const double OneSeventh = 1.0 / 7.0;

    // digit of an IJ unit offset, indexed by (di + 1) * 3 + (dj + 1); 7 where there is none
    private static ReadOnlySpan<byte> IjDigits => [1, 3, 7, 5, 0, 2, 7, 4, 6];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IjDigit(int di, int dj)
    {
        uint a = (uint)(di + 1), b = (uint)(dj + 1);
        return a < 3 && b < 3 ? IjDigits[(int)(a * 3 + b)] : InvalidDigit;
    }

    /// <summary>Rotates every digit 60° ccw <paramref name="count"/> times in one pass.</summary>
    private static ulong RotateCcw(ulong h, int count)
    {
        var table = CcwN[count % 6];
        for (int r = 1, res = GetResolution(h); r <= res; r++) h = SetDigit(h, r, table[GetDigit(h, r)]);
        return h;
    }

    private static readonly byte[][] CcwN = BuildCcwN();

    private static byte[][] BuildCcwN()
    {
        var tables = new byte[6][];
        for (int n = 0; n < 6; n++)
        {
            tables[n] = new byte[8];
            for (int d = 0; d < 8; d++)
            {
                int x = d;
                for (int k = 0; k < n; k++) x = Ccw[x];
                tables[n][d] = (byte)x;
            }
        }

        return tables;
    }

    /// <summary>
    /// Coordinates of the index in the coordinate system of <paramref name="fijk"/> (initialised
    /// with the base cell's home face and coordinates). Returns whether the cell may lie on
    /// another face (overage).
    /// </summary>
    public static bool ToFaceIjkWithInitializedFijk(ulong h, ref FaceIjk fijk)
    {
        int res = GetResolution(h);
        bool possibleOverage = !(!BaseCells.IsPentagon(GetBaseCell(h)) &&
            (res == 0 || (fijk.Coord.I == 0 && fijk.Coord.J == 0 && fijk.Coord.K == 0)));

        // down the hierarchy in IJ coordinates (see FromFaceIjk), then back to IJK+
        int i = fijk.Coord.I - fijk.Coord.K;
        int j = fijk.Coord.J - fijk.Coord.K;
        for (int r = 1; r <= res; r++)
        {
            int ni, nj;
            if ((r & 1) == 1)
            {
                ni = 2 * i + j;
                nj = 3 * j - i;
            }
            else
            {
                ni = 3 * i - j;
                nj = i + 2 * j;
            }

            int digit = GetDigit(h, r);
            if (digit is > 0 and < 7)
            {
                ni += IjUnitI[digit];
                nj += IjUnitJ[digit];
            }

            i = ni;
            j = nj;
        }

        fijk.Coord = new CoordIjk(i, j, 0);
        fijk.Coord.Normalize();
        return possibleOverage;
    }

    // IJ offsets of the digits' unit vectors
    private static ReadOnlySpan<sbyte> IjUnitI => [0, -1, 0, -1, 1, 0, 1];
    private static ReadOnlySpan<sbyte> IjUnitJ => [0, -1, 1, 0, 0, -1, 1];

    /// <summary>FaceIJK address of a (valid) cell: on its base cell's home face unless it runs over an edge.</summary>
    public static FaceIjk ToFaceIjk(ulong h)
    {
        int baseCell = GetBaseCell(h);
        // the pentagonal missing sequence: all of sub-sequence 5 needs adjusting
        if (BaseCells.IsPentagon(baseCell) && LeadingNonZeroDigit(h) == IkAxesDigit) h = Rotate60Cw(h);

        var fijk = BaseCells.HomeFaceIjk(baseCell);
        if (!ToFaceIjkWithInitializedFijk(h, ref fijk)) return fijk;

        var origIjk = fijk.Coord;

        // in Class III, drop into the next finer Class II grid
        int res = GetResolution(h);
        if ((res & 1) == 1)
        {
            fijk.Coord.DownAp7R();
            res++;
        }

        bool pentLeading4 = BaseCells.IsPentagon(baseCell) && LeadingNonZeroDigit(h) == IAxesDigit;
        if (FaceIjkMath.AdjustCenterOverage(ref fijk, res, pentLeading4))
        {
            // pentagon base cells may overage more than once
            if (BaseCells.IsPentagon(baseCell))
            {
                while (FaceIjkMath.AdjustCenterOverage(ref fijk, res, pentLeading4: false))
                {
                }
            }

            if (res != GetResolution(h)) fijk.Coord.UpAp7R();
        }
        else if (res != GetResolution(h))
        {
            fijk.Coord = origIjk;
        }

        return fijk;
    }
}
