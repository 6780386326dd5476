using Peregrine.Domain.Geo;

namespace Peregrine.Domain.Tests.Geo;

/// <summary>Grid invariants over seeded random points, independent of the oracle.</summary>
public sealed class H3PropertyTests
{
    private static IEnumerable<(double Lat, double Lng)> Points(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return (Math.Asin(2 * random.NextDouble() - 1) * 180 / Math.PI, random.NextDouble() * 360 - 180);
        }
    }

    [Fact]
    public void A_cell_centre_indexes_back_to_the_cell_at_every_resolution()
    {
        foreach (var (lat, lng) in Points(300, 1))
        {
            for (int res = 0; res <= 15; res++)
            {
                ulong cell = H3.LatLngToCell(lat, lng, res);
                Assert.True(H3.IsValidCell(cell));
                Assert.Equal(res, H3.GetResolution(cell));
                var (cLat, cLng) = H3.CellToLatLng(cell);
                Assert.Equal(cell, H3.LatLngToCell(cLat, cLng, res));
                // (the point's res-15 cell need not descend from it: children overhang their parent)
                Assert.Equal(H3.CellToParent(cell, res > 0 ? res - 1 : 0), H3.CellToParent(H3.LatLngToCell(cLat, cLng, 15), res > 0 ? res - 1 : 0));
            }
        }
    }

    [Fact]
    public void Disks_hold_every_cell_once_within_distance_k()
    {
        foreach (var (lat, lng) in Points(60, 2))
        {
            int res = (int)(Math.Abs(lat * 1000) % 16);
            ulong origin = H3.LatLngToCell(lat, lng, res);
            for (int k = 0; k <= 3; k++)
            {
                var disk = H3.GridDisk(origin, k);
                Assert.Equal(disk.Count, disk.Distinct().Count());
                Assert.DoesNotContain(0UL, disk);
                Assert.Contains(origin, disk);
                foreach (ulong cell in disk)
                {
                    // h3 may refuse distances across pentagons; where it answers, it is at most k
                    try
                    {
                        Assert.InRange(H3.GridDistance(origin, cell), 0, k);
                    }
                    catch (ArgumentException)
                    {
                    }
                }
            }
        }
    }

    [Fact]
    public void Twelve_pentagons_per_resolution_and_children_know_their_parent()
    {
        var baseCells = Enumerable.Range(0, 122).Select(bc => 0x8001fffffffffffUL | ((ulong)bc << 45)).ToArray();
        Assert.All(baseCells, c => Assert.True(H3.IsValidCell(c)));
        for (int res = 0; res <= 15; res++)
        {
            // a base cell's centre child shares its centre
            int pentagons = baseCells.Count(c =>
            {
                var (lat, lng) = H3.CellToLatLng(c);
                return H3.IsPentagon(H3.LatLngToCell(lat, lng, res));
            });
            Assert.Equal(12, pentagons);
        }

        foreach (var (lat, lng) in Points(40, 3))
        {
            ulong cell = H3.LatLngToCell(lat, lng, 6);
            var children = H3.CellToChildren(cell, 8);
            Assert.Equal(H3.CellToChildrenSize(cell, 8), children.Count);
            Assert.All(children, c => Assert.Equal(cell, H3.CellToParent(c, 6)));
        }
    }

    [Fact]
    public void LatLngToCell_allocates_nothing()
    {
        var points = Points(2000, 4).ToArray();
        ulong sink = 0;
        foreach (var (lat, lng) in points) sink ^= H3.LatLngToCell(lat, lng, 9); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rep = 0; rep < 5; rep++)
        {
            foreach (var (lat, lng) in points) sink ^= H3.LatLngToCell(lat, lng, rep * 3);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotEqual(0UL, sink);
        Assert.Equal(0, allocated);
    }
}
