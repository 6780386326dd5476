namespace Peregrine.Domain.Geo;

/// <summary>
/// Local IJK coordinates anchored at an origin cell: the target's coordinates in the origin's
/// base cell space, unfolded across at most one base cell boundary (and around pentagons only
/// where h3 knows the unfolding to be right). Grid distance is the IJK distance in that space.
/// </summary>
internal static class LocalIj
{
    /// <summary>Origin leading digit → index leading digit → 60° cw rotations (-1: invalid, K axis).</summary>
    private static readonly sbyte[] PentagonRotations =
    [
        0, -1, 0, 0, 0, 0, 0, // 0
        -1, -1, -1, -1, -1, -1, -1, // 1
        0, -1, 0, 0, 0, 1, 0, // 2
        0, -1, 0, 0, 1, 1, 0, // 3
        0, -1, 0, 5, 0, 0, 0, // 4
        0, -1, 5, 5, 0, 0, 0, // 5
        0, -1, 0, 0, 0, 0, 0, // 6
    ];

    /// <summary>
    /// Unfoldings across a pentagon h3 refuses (they may cross more than one icosahedron face):
    /// [direction of the origin][direction of the index], both relative to the pentagon.
    /// </summary>
    private static readonly bool[] FailedDirections =
    [
        false, false, false, false, false, false, false, // 0
        false, false, false, false, false, false, false, // 1
        false, false, false, false, true, true, false, // 2
        false, false, false, false, true, false, true, // 3
        false, false, true, true, false, false, false, // 4
        false, false, true, false, false, false, true, // 5
        false, false, false, true, false, true, false, // 6
    ];

    public enum Result
    {
        Ok,
        ResolutionMismatch,
        Failed,
    }

    /// <summary>IJK+ coordinates of <paramref name="h"/> in the space anchored at <paramref name="origin"/>.</summary>
    public static Result CellToLocalIjk(ulong origin, ulong h, out CoordIjk output)
    {
        output = default;
        int res = H3Index.GetResolution(origin);
        if (res != H3Index.GetResolution(h)) return Result.ResolutionMismatch;

        int originBaseCell = H3Index.GetBaseCell(origin);
        int baseCell = H3Index.GetBaseCell(h);
        if (originBaseCell >= BaseCells.Count || baseCell >= BaseCells.Count) return Result.Failed;

        // direction from the origin base cell to the index base cell
        int dir = H3Index.CenterDigit;
        int revDir = H3Index.CenterDigit;
        if (originBaseCell != baseCell)
        {
            dir = BaseCells.Direction(originBaseCell, baseCell);
            if (dir == H3Index.InvalidDigit) return Result.Failed; // not neighbours: can't unfold
            revDir = BaseCells.Direction(baseCell, originBaseCell);
        }

        bool originOnPent = BaseCells.IsPentagon(originBaseCell);
        bool indexOnPent = BaseCells.IsPentagon(baseCell);

        if (dir != H3Index.CenterDigit)
        {
            // rotate the index into the orientation of the origin base cell (cw: undoing the
            // rotation into that base cell)
            int baseCellRotations = BaseCells.NeighborRotation(originBaseCell, dir);
            for (int i = 0; i < baseCellRotations; i++)
            {
                if (indexOnPent)
                {
                    h = H3Index.RotatePent60Cw(h);
                    revDir = H3Index.RotateDigit60Cw(revDir);
                    if (revDir == H3Index.KAxesDigit) revDir = H3Index.RotateDigit60Cw(revDir);
                }
                else
                {
                    h = H3Index.Rotate60Cw(h);
                    revDir = H3Index.RotateDigit60Cw(revDir);
                }
            }
        }

        // coordinates in the base cell's own space (the face is unused)
        var indexFijk = default(FaceIjk);
        H3Index.ToFaceIjkWithInitializedFijk(h, ref indexFijk);

        if (dir != H3Index.CenterDigit)
        {
            int pentagonRotations = 0;
            int directionRotations = 0;

            if (originOnPent)
            {
                int originLeadingDigit = H3Index.LeadingNonZeroDigit(origin);
                if (FailedDirections[originLeadingDigit * 7 + dir]) return Result.Failed;
                directionRotations = PentagonRotations[originLeadingDigit * 7 + dir];
                pentagonRotations = directionRotations;
            }
            else if (indexOnPent)
            {
                int indexLeadingDigit = H3Index.LeadingNonZeroDigit(h);
                if (FailedDirections[indexLeadingDigit * 7 + revDir]) return Result.Failed;
                pentagonRotations = PentagonRotations[revDir * 7 + indexLeadingDigit];
            }

            // -1 entries are only reachable through the deleted k direction (not from valid cells);
            // like h3 built without asserts, they rotate nothing
            for (int i = 0; i < pentagonRotations; i++) indexFijk.Coord.Rotate60Cw();

            // offset of the neighbouring base cell, scaled down to the resolution
            var offset = default(CoordIjk);
            offset.Neighbor(dir);
            for (int r = res - 1; r >= 0; r--)
            {
                if (((r + 1) & 1) == 1) offset.DownAp7();
                else offset.DownAp7R();
            }

            for (int i = 0; i < directionRotations; i++) offset.Rotate60Cw();

            indexFijk.Coord = indexFijk.Coord + offset;
            indexFijk.Coord.Normalize();
        }
        else if (originOnPent && indexOnPent)
        {
            // same pentagon base cell
            int originLeadingDigit = H3Index.LeadingNonZeroDigit(origin);
            int indexLeadingDigit = H3Index.LeadingNonZeroDigit(h);
            if (FailedDirections[originLeadingDigit * 7 + indexLeadingDigit]) return Result.Failed;

            int withinPentagonRotations = PentagonRotations[originLeadingDigit * 7 + indexLeadingDigit];
            for (int i = 0; i < withinPentagonRotations; i++) indexFijk.Coord.Rotate60Cw();
        }

        output = indexFijk.Coord;
        return Result.Ok;
    }

    /// <summary>Grid distance, or null where h3 reports an error.</summary>
    public static Result Distance(ulong origin, ulong h, out int distance)
    {
        distance = -1;
        var result = CellToLocalIjk(origin, origin, out var originIjk);
        if (result != Result.Ok) return result;
        result = CellToLocalIjk(origin, h, out var ijk);
        if (result != Result.Ok) return result;
        distance = CoordIjk.Distance(originIjk, ijk);
        return Result.Ok;
    }
}
