using System.Runtime.CompilerServices;

namespace Peregrine.Domain.Geo;

/// <summary>
/// Neighbour traversal directly on index digits (no projection), and k-rings built from it:
/// the fast spiral walk, falling back to a breadth-first search when a pentagon (whose deleted
/// k-axes subsequence breaks the spiral) is met.
/// </summary>
internal static class GridDisk
{
    /// <summary>Directions walked around a ring, counter-clockwise around the I-axis neighbour.</summary>
    private static readonly byte[] Directions =
    [
        H3Index.JAxesDigit, H3Index.JkAxesDigit, H3Index.KAxesDigit,
        H3Index.IkAxesDigit, H3Index.IAxesDigit, H3Index.IjAxesDigit,
    ];

    private const int NextRingDirection = H3Index.IAxesDigit;

    // current digit → direction → new digit / carry direction to the coarser level, for Class II and III
    private static readonly byte[] NewDigitIi =
    [
        0, 1, 2, 3, 4, 5, 6, 1, 4, 3, 6, 5, 2, 0, 2, 3, 1, 4, 6, 0, 5, 3, 6, 4, 5, 0, 1, 2,
        4, 5, 6, 0, 2, 3, 1, 5, 2, 0, 1, 3, 6, 4, 6, 0, 5, 2, 1, 4, 3,
    ];

    private static readonly byte[] NewAdjustmentIi =
    [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 5, 0, 0, 0, 2, 3, 0, 0, 2, 0, 1, 3, 3, 0, 0, 0,
        0, 0, 0, 0, 4, 4, 6, 0, 5, 0, 0, 4, 5, 0, 0, 0, 2, 0, 6, 0, 6,
    ];

    private static readonly byte[] NewDigitIii =
    [
        0, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0, 2, 3, 4, 5, 6, 0, 1, 3, 4, 5, 6, 0, 1, 2,
        4, 5, 6, 0, 1, 2, 3, 5, 6, 0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4, 5,
    ];

    private static readonly byte[] NewAdjustmentIii =
    [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 2, 2, 0, 0, 6, 0, 3, 2, 3, 0, 0, 0,
        0, 0, 0, 0, 4, 5, 4, 0, 1, 0, 0, 5, 5, 0, 0, 0, 6, 0, 4, 0, 6,
    ];

    /// <summary>Result codes of <see cref="NeighborRotations"/>.</summary>
    internal enum Step
    {
        Ok,
        Pentagon,
        Failed,
    }

    /// <summary>
    /// The neighbour of <paramref name="origin"/> in direction <paramref name="dir"/> after
    /// applying <paramref name="rotations"/> (updated for face crossings).
    /// </summary>
    public static Step NeighborRotations(ulong origin, int dir, ref int rotations, out ulong result)
    {
        ulong current = origin;
        result = 0;
        if (dir < 0 || dir >= H3Index.InvalidDigit) return Step.Failed;

        rotations %= 6;
        for (int i = 0; i < rotations; i++) dir = H3Index.RotateDigit60Ccw(dir);

        int newRotations = 0;
        int oldBaseCell = H3Index.GetBaseCell(current);
        if (oldBaseCell >= BaseCells.Count) return Step.Failed;
        int oldLeadingDigit = H3Index.LeadingNonZeroDigit(current);

        // adjust the digits and, if needed, the base cell
        int r = H3Index.GetResolution(current) - 1;
        while (true)
        {
            if (r == -1)
            {
                current = H3Index.SetBaseCell(current, BaseCells.Neighbor(oldBaseCell, dir));
                newRotations = BaseCells.NeighborRotation(oldBaseCell, dir);

                if (H3Index.GetBaseCell(current) == BaseCells.Invalid)
                {
                    // the deleted k vertex at the base cell level: this edge borders another neighbour
                    current = H3Index.SetBaseCell(current, BaseCells.Neighbor(oldBaseCell, H3Index.IkAxesDigit));
                    newRotations = BaseCells.NeighborRotation(oldBaseCell, H3Index.IkAxesDigit);
                    current = H3Index.Rotate60Ccw(current);
                    rotations++;
                }

                break;
            }

            int oldDigit = H3Index.GetDigit(current, r + 1);
            if (oldDigit == H3Index.InvalidDigit) return Step.Failed;

            int nextDir;
            if (((r + 1) & 1) == 1)
            {
                current = H3Index.SetDigit(current, r + 1, NewDigitIi[oldDigit * 7 + dir]);
                nextDir = NewAdjustmentIi[oldDigit * 7 + dir];
            }
            else
            {
                current = H3Index.SetDigit(current, r + 1, NewDigitIii[oldDigit * 7 + dir]);
                nextDir = NewAdjustmentIii[oldDigit * 7 + dir];
            }

            if (nextDir == H3Index.CenterDigit) break;
            dir = nextDir;
            r--;
        }

        int newBaseCell = H3Index.GetBaseCell(current);
        if (BaseCells.IsPentagon(newBaseCell))
        {
            bool alreadyAdjustedKSubsequence = false;

            // force rotation out of the missing k-axes subsequence
            if (H3Index.LeadingNonZeroDigit(current) == H3Index.KAxesDigit)
            {
                if (oldBaseCell != newBaseCell)
                {
                    // traversed into the deleted subsequence from another base cell
                    current = BaseCells.IsCwOffset(newBaseCell, BaseCells.HomeFaceIjk(oldBaseCell).Face)
                        ? H3Index.Rotate60Cw(current)
                        : H3Index.Rotate60Ccw(current);
                    alreadyAdjustedKSubsequence = true;
                }
                else
                {
                    // traversed into the deleted subsequence from within the pentagon base cell
                    switch (oldLeadingDigit)
                    {
                        case H3Index.CenterDigit:
                            return Step.Pentagon; // the k direction is deleted here
                        case H3Index.JkAxesDigit:
                            current = H3Index.Rotate60Ccw(current);
                            rotations++;
                            break;
                        case H3Index.IkAxesDigit:
                            current = H3Index.Rotate60Cw(current);
                            rotations += 5;
                            break;
                        default:
                            return Step.Failed;
                    }
                }
            }

            for (int i = 0; i < newRotations; i++) current = H3Index.RotatePent60Ccw(current);

            // differing orientation of the base cells across this edge
            if (oldBaseCell != newBaseCell)
            {
                if (BaseCells.IsPolarPentagon(newBaseCell))
                {
                    // polar pentagons have all-i neighbours
                    if (oldBaseCell != 118 && oldBaseCell != 8 && H3Index.LeadingNonZeroDigit(current) != H3Index.JkAxesDigit)
                    {
                        rotations++;
                    }
                }
                else if (H3Index.LeadingNonZeroDigit(current) == H3Index.IkAxesDigit && !alreadyAdjustedKSubsequence)
                {
                    // distortion introduced to the 5 neighbour by the deleted k subsequence
                    rotations++;
                }
            }
        }
        else
        {
            for (int i = 0; i < newRotations; i++) current = H3Index.Rotate60Ccw(current);
        }

        rotations = (rotations + newRotations) % 6;
        result = current;
        return Step.Ok;
    }

    /// <summary>Number of cells within distance k of a hexagon: 3k(k+1)+1.</summary>
    public static int MaxSize(int k) => 3 * k * (k + 1) + 1;

    /// <summary>
    /// The spiral walk: ring by ring, six sides of k steps. Writes cells into
    /// <paramref name="output"/> and returns the count, or -1 when a pentagon was met (the caller
    /// then uses <see cref="Safe"/>).
    /// </summary>
    public static int Unsafe(ulong origin, int k, Span<ulong> output)
    {
        int idx = 0;
        output[idx++] = origin;
        if (H3Index.IsPentagon(origin)) return -1;

        int ring = 1, direction = 0, i = 0, rotations = 0;
        while (ring <= k)
        {
            if (direction == 0 && i == 0)
            {
                if (NeighborRotations(origin, NextRingDirection, ref rotations, out origin) != Step.Ok) return -1;
                if (H3Index.IsPentagon(origin)) return -1;
            }

            if (NeighborRotations(origin, Directions[direction], ref rotations, out origin) != Step.Ok) return -1;
            output[idx++] = origin;

            i++;
            if (i == ring)
            {
                i = 0;
                direction++;
                if (direction == 6)
                {
                    direction = 0;
                    ring++;
                }
            }

            if (H3Index.IsPentagon(origin)) return -1;
        }

        return idx;
    }

    /// <summary>Breadth-first k-ring that handles pentagons; returns the cells, each once.</summary>
    public static List<ulong> Safe(ulong origin, int k)
    {
        var seen = new HashSet<ulong> { origin };
        var result = new List<ulong> { origin };
        var frontier = new List<ulong> { origin };
        var next = new List<ulong>();
        for (int dist = 0; dist < k && frontier.Count > 0; dist++)
        {
            next.Clear();
            foreach (ulong cell in frontier)
            {
                for (int d = 0; d < 6; d++)
                {
                    int rotations = 0;
                    var step = NeighborRotations(cell, Directions[d], ref rotations, out ulong neighbor);
                    if (step == Step.Pentagon) continue; // walking off a pentagon's deleted direction
                    if (step != Step.Ok) throw new InvalidOperationException($"Grid traversal failed at {cell:x}.");
                    if (seen.Add(neighbor))
                    {
                        result.Add(neighbor);
                        next.Add(neighbor);
                    }
                }
            }

            (frontier, next) = (next, frontier);
        }

        return result;
    }

    /// <summary>All cells within grid distance k of a valid origin.</summary>
    public static ulong[] Disk(ulong origin, int k)
    {
        int max = MaxSize(k);
        var buffer = new ulong[max];
        int n = Unsafe(origin, k, buffer);
        if (n == max) return buffer;
        return Safe(origin, k).ToArray();
    }
}
