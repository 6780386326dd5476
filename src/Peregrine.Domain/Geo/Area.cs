namespace Peregrine.Domain.Geo;

/// <summary>
/// Exact cell area: the spherical polygon bounded by the cell's boundary (great-circle edges
/// between its vertices, distortion vertices included). h3 4.5 sums Cagnoli's per-edge terms
/// (as d3-geo does) with a compensated adder; it equals the fan of spherical triangles from the
/// centre to each edge, without the cancellation-prone side lengths.
/// </summary>
internal static class Area
{
    public static double CellAreaRads2(ReadOnlySpan<LatLng> boundary)
    {
        // Kahan–Babuška (Neumaier) summation
        double sum = 0.0, compensation = 0.0;
        for (int i = 0; i < boundary.Length; i++)
        {
            int j = (i + 1) % boundary.Length;
            Add(ref sum, ref compensation, Cagnoli(boundary[i], boundary[j]));
        }

        // the signed sum depends on orientation; normalise into [0, 4π]
        if (sum + compensation < 0.0) Add(ref sum, ref compensation, 4.0 * Math.PI);
        return sum + compensation;
    }

    public static double CellAreaKm2(ReadOnlySpan<LatLng> boundary)
    {
        return CellAreaRads2(boundary) * SphereMath.EarthRadiusKm * SphereMath.EarthRadiusKm;
    }

    /// <summary>Signed area contribution of the edge x → y.</summary>
    private static double Cagnoli(LatLng x, LatLng y)
    {
        double xLat = x.Lat / 2.0 + Math.PI / 4.0;
        double yLat = y.Lat / 2.0 + Math.PI / 4.0;
        double sa = Math.Sin(xLat) * Math.Sin(yLat);
        double ca = Math.Cos(xLat) * Math.Cos(yLat);
        double d = y.Lng - x.Lng;
        return -2.0 * Math.Atan2(sa * Math.Sin(d), sa * Math.Cos(d) + ca);
    }

    private static void Add(ref double sum, ref double compensation, double x)
    {
        double t = sum + x;
        compensation += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }
}
