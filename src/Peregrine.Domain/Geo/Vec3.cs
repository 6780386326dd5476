using System.Runtime.CompilerServices;

namespace Peregrine.Domain.Geo;

/// <summary>
/// A point or direction in 3D (unit sphere). h3 4.5 projects through these: the azimuth of a
/// point seen from a face centre and the point at (distance, azimuth) from a face centre are
/// computed in the face centre's tangent basis rather than with spherical trigonometry.
/// Operations are written out in the reference order so results match bit for bit.
/// </summary>
internal readonly record struct Vec3(double X, double Y, double Z)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 FromLatLng(double lat, double lng)
    {
        var (sinLat, r) = Math.SinCos(lat);
        var (sinLng, cosLng) = Math.SinCos(lng);
        return new Vec3(cosLng * r, sinLng * r, sinLat);
    }

    public LatLng ToLatLng() => new(Math.Asin(Z), Math.Atan2(Y, X));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(in Vec3 a, in Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>a·v1 + b·v2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 LinComb(double a, in Vec3 v1, double b, in Vec3 v2) =>
        new(a * v1.X + b * v2.X, a * v1.Y + b * v2.Y, a * v1.Z + b * v2.Z);

    public static Vec3 Cross(in Vec3 a, in Vec3 b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec3 Normalize()
    {
        double norm = Math.Sqrt(Dot(this, this));
        double s = norm > 0.0 ? 1.0 / norm : 0.0;
        return new Vec3(X * s, Y * s, Z * s);
    }

    /// <summary>Local north and east directions in the tangent plane at p (not at a pole).</summary>
    public static void TangentBasis(in Vec3 p, out Vec3 north, out Vec3 east)
    {
        var northPole = new Vec3(0.0, 0.0, 1.0);
        north = LinComb(1.0, northPole, -Dot(northPole, p), p).Normalize();
        east = Cross(north, p);
    }
}
