using Peregrine.Domain.Geo;

namespace Peregrine.Domain.Tests.Geo;

/// <summary>
/// Every point within the distance must have its stored resolution-15 cell inside the cover, including
/// near the disk's edge, across the antimeridian, at the poles and next to pentagons.
/// </summary>
public sealed class DiskCoverTests
{
    private const double EarthRadiusM = 6_371_008.8;

    public static TheoryData<double, double, double> Disks => new()
    {
        { 40.7128, -74.006, 10_000 },     // New York, the benchmark's disk
        { 40.7128, -74.006, 250 },
        { 51.5, -0.12, 50_000 },
        { -33.86, 151.2, 1_000 },
        { 0.5, 179.9, 30_000 },           // across the antimeridian
        { 89.9, 45, 20_000 },             // around the pole
        { -89.5, -120, 80_000 },
        { 64.7, 10.536, 15_000 },         // near the pentagon of base cell 4 (58.39, 10.54 at res 0 is near; several checked below)
        { 58.397145907, 10.536199075, 5_000 },
        { 2.0, 2.0, 0 },
    };

    [Theory]
    [MemberData(nameof(Disks))]
    public void Every_point_within_the_distance_is_in_a_range(double lat, double lng, double meters)
    {
        var ranges = DiskCover.Res15Ranges(lat, lng, meters);
        Assert.NotNull(ranges);
        var random = new Random(HashCode.Combine(lat, lng, meters));
        for (var i = 0; i < 4000; i++)
        {
            // Half the samples hug the edge, where a too-small cover would show first.
            var distance = meters * (i % 2 == 0 ? Math.Sqrt(random.NextDouble()) : 0.98 + 0.02 * random.NextDouble());
            var (pLat, pLng) = Destination(lat, lng, random.NextDouble() * 360, distance);
            var cell15 = (long)H3.LatLngToCell(pLat, pLng, 15);
            Assert.True(ranges!.Any(r => r.Min <= cell15 && cell15 <= r.Max),
                $"({pLat}, {pLng}) at {distance:F1} m from ({lat}, {lng}) is outside the cover");
        }
    }

    [Fact]
    public void The_cover_is_a_neighbourhood_not_the_globe()
    {
        // About an eighth of the radius per cell: tens of cells for any radius, and far points stay out.
        var ranges = DiskCover.Res15Ranges(40.7128, -74.006, 10_000)!;
        Assert.InRange(ranges.Count, 1, 300);
        var boston = (long)H3.LatLngToCell(42.36, -71.06, 15);
        Assert.DoesNotContain(ranges, r => r.Min <= boston && boston <= r.Max);
        Assert.Null(DiskCover.Res15Ranges(0, 0, 30_000_000));
        Assert.Null(DiskCover.Res15Ranges(0, 0, double.NaN));
        Assert.Null(DiskCover.Res15Ranges(0, 0, -1));
    }

    private static (double Lat, double Lng) Destination(double lat, double lng, double bearingDeg, double meters)
    {
        const double rad = Math.PI / 180;
        var d = meters / EarthRadiusM;
        var (p1, l1, b) = (lat * rad, lng * rad, bearingDeg * rad);
        var p2 = Math.Asin(Math.Sin(p1) * Math.Cos(d) + Math.Cos(p1) * Math.Sin(d) * Math.Cos(b));
        var l2 = l1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(p1), Math.Cos(d) - Math.Sin(p1) * Math.Sin(p2));
        var lng2 = (l2 / rad + 540) % 360 - 180;
        return (p2 / rad, lng2);
    }
}
