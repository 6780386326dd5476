using System.Runtime.CompilerServices;

namespace Peregrine.Domain.Geo;

/// <summary>A point on the unit sphere in radians.</summary>
internal readonly record struct LatLng(double Lat, double Lng);

/// <summary>
/// Angle helpers and the degree/radian conversions used by h3-js (which converts in JavaScript
/// before calling the C library, so we convert the same way: <c>deg * π / 180</c> and
/// <c>rad * 180 / π</c>).
/// </summary>
internal static class SphereMath
{
    /// <summary>Threshold epsilon of the reference library.</summary>
    public const double Epsilon = 0.0000000000000001;

    public const double TwoPi = 2.0 * Math.PI;

    public const double HalfPi = 1.5707963267948966;

    /// <summary>Earth radius in km (WGS84 authalic).</summary>
    public const double EarthRadiusKm = 6371.007180918475;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double DegsToRads(double degrees) => degrees * Math.PI / 180;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RadsToDegs(double radians) => radians * 180 / Math.PI;

    /// <summary>Normalises radians to [0, 2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double PosAngleRads(double rads)
    {
        double tmp = rads < 0.0 ? rads + TwoPi : rads;
        if (rads >= TwoPi) tmp -= TwoPi;
        return tmp;
    }
}
