namespace Peregrine.Domain.Seeding;

/// <summary>A city the demo reports cluster around; <c>SpreadKm</c> is the core cluster's sigma.</summary>
internal sealed record DemoCity(string Name, string Country, double Lat, double Lng, double SpreadKm, int Weight);

/// <summary>~50 real cities over every inhabited continent, weighted toward where sightings are reported most.</summary>
internal static class DemoCities
{
    public static readonly IReadOnlyList<DemoCity> All =
    [
        new("New York", "US", 40.7128, -74.0060, 8, 6),
        new("Los Angeles", "US", 34.0522, -118.2437, 12, 6),
        new("Phoenix", "US", 33.4484, -112.0740, 15, 7),
        new("Roswell", "US", 33.3943, -104.5230, 20, 5),
        new("Las Vegas", "US", 36.1699, -115.1398, 15, 6),
        new("Seattle", "US", 47.6062, -122.3321, 10, 5),
        new("Denver", "US", 39.7392, -104.9903, 12, 4),
        new("Chicago", "US", 41.8781, -87.6298, 10, 4),
        new("Houston", "US", 29.7604, -95.3698, 12, 4),
        new("Miami", "US", 25.7617, -80.1918, 8, 4),
        new("Portland", "US", 45.5152, -122.6784, 10, 3),
        new("Albuquerque", "US", 35.0844, -106.6504, 14, 3),
        new("Toronto", "CA", 43.6532, -79.3832, 10, 3),
        new("Vancouver", "CA", 49.2827, -123.1207, 9, 3),
        new("Montreal", "CA", 45.5017, -73.5673, 9, 2),
        new("Mexico City", "MX", 19.4326, -99.1332, 12, 4),
        new("Bogota", "CO", 4.7110, -74.0721, 8, 2),
        new("Lima", "PE", -12.0464, -77.0428, 8, 2),
        new("Santiago", "CL", -33.4489, -70.6693, 10, 3),
        new("Buenos Aires", "AR", -34.6037, -58.3816, 10, 3),
        new("Sao Paulo", "BR", -23.5505, -46.6333, 12, 3),
        new("Rio de Janeiro", "BR", -22.9068, -43.1729, 9, 3),
        new("London", "GB", 51.5074, -0.1278, 9, 5),
        new("Manchester", "GB", 53.4808, -2.2426, 7, 2),
        new("Edinburgh", "GB", 55.9533, -3.1883, 6, 2),
        new("Dublin", "IE", 53.3498, -6.2603, 6, 2),
        new("Paris", "FR", 48.8566, 2.3522, 8, 3),
        new("Madrid", "ES", 40.4168, -3.7038, 9, 2),
        new("Lisbon", "PT", 38.7223, -9.1393, 7, 2),
        new("Berlin", "DE", 52.5200, 13.4050, 9, 3),
        new("Amsterdam", "NL", 52.3676, 4.9041, 6, 2),
        new("Rome", "IT", 41.9028, 12.4964, 8, 2),
        new("Stockholm", "SE", 59.3293, 18.0686, 7, 2),
        new("Oslo", "NO", 59.9139, 10.7522, 7, 1),
        new("Helsinki", "FI", 60.1699, 24.9384, 6, 1),
        new("Warsaw", "PL", 52.2297, 21.0122, 8, 1),
        new("Moscow", "RU", 55.7558, 37.6173, 12, 2),
        new("Istanbul", "TR", 41.0082, 28.9784, 10, 2),
        new("Cairo", "EG", 30.0444, 31.2357, 10, 2),
        new("Nairobi", "KE", -1.2921, 36.8219, 8, 1),
        new("Lagos", "NG", 6.5244, 3.3792, 9, 1),
        new("Cape Town", "ZA", -33.9249, 18.4241, 8, 2),
        new("Dubai", "AE", 25.2048, 55.2708, 9, 1),
        new("Mumbai", "IN", 19.0760, 72.8777, 10, 2),
        new("New Delhi", "IN", 28.6139, 77.2090, 11, 2),
        new("Bangkok", "TH", 13.7563, 100.5018, 9, 1),
        new("Singapore", "SG", 1.3521, 103.8198, 5, 1),
        new("Hong Kong", "HK", 22.3193, 114.1694, 5, 1),
        new("Shanghai", "CN", 31.2304, 121.4737, 11, 2),
        new("Seoul", "KR", 37.5665, 126.9780, 9, 2),
        new("Tokyo", "JP", 35.6762, 139.6503, 12, 3),
        new("Manila", "PH", 14.5995, 120.9842, 8, 1),
        new("Sydney", "AU", -33.8688, 151.2093, 12, 3),
        new("Melbourne", "AU", -37.8136, 144.9631, 11, 2),
        new("Perth", "AU", -31.9505, 115.8605, 10, 1),
        new("Auckland", "NZ", -36.8485, 174.7633, 8, 2),
        new("Reykjavik", "IS", 64.1466, -21.9426, 6, 1),
        new("Anchorage", "US", 61.2181, -149.9003, 15, 1),
        new("Honolulu", "US", 21.3069, -157.8583, 8, 1),
    ];

    private static readonly int[] CumulativeWeights = BuildCumulative();

    public static DemoCity PickWeighted(ref SeedRandom rng)
    {
        var ticket = rng.Next(CumulativeWeights[^1]);
        var i = Array.BinarySearch(CumulativeWeights, ticket + 1);
        return All[i >= 0 ? i : ~i];
    }

    private static int[] BuildCumulative()
    {
        var sums = new int[All.Count];
        var total = 0;
        for (var i = 0; i < All.Count; i++) sums[i] = total += All[i].Weight;
        return sums;
    }
}
