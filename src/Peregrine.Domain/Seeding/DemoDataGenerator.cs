using System.Globalization;
using System.Text;

namespace Peregrine.Domain.Seeding;

/// <summary>
/// Generates the demo rows. Pure and deterministic: the same seed gives the same rows, uuids
/// included, on every machine. Each report (and its media and categories) comes from streams of its
/// own keyed by the report's index, so the writer can make one pass per table without holding the
/// whole data set in memory, and report <c>i</c> does not depend on how many reports are seeded.
/// </summary>
internal sealed class DemoDataGenerator(ulong seed = DemoDataGenerator.DefaultSeed)
{
    public const ulong DefaultSeed = 0x5045_5245_4752_494EUL; // "PEREGRIN"
    public const int UserCount = 200;
    public const int MaxMediaPerReport = 3;
    public const string MediaBaseUrl = "https://cdn.peregrine.example/media";

    /// <summary>The end of the demo period; reports fall in the two years before it. Fixed, so the data is too.</summary>
    public static readonly DateTime PeriodEnd = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime PeriodStart = PeriodEnd.AddDays(-730);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly int[] CategoryCumulativeWeights = CumulativeWeights();

    // ------------------------------------------------------------------ users

    public Guid UserId(int n) => SeedRandom.For(seed, SeedStream.User, n).NextGuid();

    /// <summary>Users <c>user1@example.com</c> … <c>user200@example.com</c>.</summary>
    public IEnumerable<DemoUserRow> Users()
    {
        for (var n = 1; n <= UserCount; n++)
        {
            var rng = SeedRandom.For(seed, SeedStream.User, n);
            var id = rng.NextGuid();
            var name = $"{rng.Pick(DemoVocabulary.FirstNames)} {rng.Pick(DemoVocabulary.LastNames)}";
            var city = DemoCities.PickWeighted(ref rng);
            var created = PeriodStart.AddDays(-rng.Next(1, 365)).AddSeconds(rng.Next(86_400));
            var updated = created.AddDays(rng.Next(0, 700)).AddSeconds(rng.Next(86_400));
            if (updated > PeriodEnd) updated = PeriodEnd;
            var profile =
                $"{{\"display_name\": {Json(name)}, \"avatar_url\": {Json($"https://cdn.peregrine.example/avatars/{id}.png")}, " +
                $"\"home_city\": {Json(city.Name)}}}";
            yield return new DemoUserRow(id, $"user{n}@example.com", profile, created, updated);
        }
    }

    // ------------------------------------------------------------------ categories

    public Guid CategoryId(int k) => SeedRandom.For(seed, SeedStream.Category, k).NextGuid();

    public IEnumerable<DemoCategoryRow> Categories()
    {
        for (var k = 0; k < DemoVocabulary.Categories.Count; k++)
        {
            var c = DemoVocabulary.Categories[k];
            yield return new DemoCategoryRow(CategoryId(k), c.Name, c.Description, c.Icon);
        }
    }

    // ------------------------------------------------------------------ reports

    public Guid ReportId(long i) => SeedRandom.For(seed, SeedStream.ReportId, i).NextGuid();

    /// <summary>The report's categories as indexes into <see cref="DemoVocabulary.Categories"/>: one, sometimes two.</summary>
    public (int Primary, int? Secondary) ReportCategoryIndexes(long i)
    {
        var rng = SeedRandom.For(seed, SeedStream.ReportCategories, i);
        var primary = PickCategory(ref rng);
        if (!rng.Chance(0.35)) return (primary, null);
        var secondary = PickCategory(ref rng);
        return secondary == primary ? (primary, null) : (primary, secondary);
    }

    public IEnumerable<DemoReportCategoryRow> ReportCategories(long i)
    {
        var reportId = ReportId(i);
        var (primary, secondary) = ReportCategoryIndexes(i);
        yield return new DemoReportCategoryRow(reportId, CategoryId(primary));
        if (secondary is { } s) yield return new DemoReportCategoryRow(reportId, CategoryId(s));
    }

    public DemoReportRow Report(long i)
    {
        var rng = SeedRandom.For(seed, SeedStream.Report, i);
        var city = DemoCities.PickWeighted(ref rng);

        // A tight core around the city with a wider halo: sigma of a few km, sometimes tens of km.
        var sigmaKm = rng.Chance(0.8) ? city.SpreadKm : city.SpreadKm * 4 + 10;
        var dLat = rng.NextGaussian() * sigmaKm / 111.32;
        var dLng = rng.NextGaussian() * sigmaKm / (111.32 * Math.Max(0.05, Math.Cos(city.Lat * Math.PI / 180)));
        var lat = Math.Round(Math.Clamp(city.Lat + dLat, -89.9, 89.9), 6);
        var lng = Math.Round(WrapLongitude(city.Lng + dLng), 6);
        var accuracy = rng.Chance(0.7) ? rng.Next(3, 30) : rng.Next(30, 500);

        var userId = rng.Chance(0.04) ? (Guid?)null : UserId(PickUser(ref rng));
        var timestamp = PickTimestamp(ref rng, lng);

        var (primary, secondary) = ReportCategoryIndexes(i);
        var description = Describe(ref rng, city, primary, secondary);

        var coordinates = string.Create(Inv, $"{{\"lat\": {lat:0.######}, \"lng\": {lng:0.######}, \"accuracy_m\": {accuracy}}}");
        return new DemoReportRow(ReportId(i), userId, lat, lng, coordinates, timestamp, ReportCells.For(lat, lng), description);
    }

    /// <summary>0–3 photos or videos of report <c>i</c>.</summary>
    public IEnumerable<DemoMediaRow> Media(long i)
    {
        var rng = SeedRandom.For(seed, SeedStream.Media, i);
        var roll = rng.NextDouble();
        var count = roll < 0.35 ? 0 : roll < 0.70 ? 1 : roll < 0.90 ? 2 : 3;
        if (count == 0) yield break;
        var reportId = ReportId(i);
        var device = rng.Pick(DemoVocabulary.Devices);
        for (var j = 0; j < count; j++)
        {
            var id = rng.NextGuid();
            var video = rng.Chance(0.25);
            var size = video ? rng.Next(3_000_000, 120_000_000) : rng.Next(400_000, 6_000_000);
            string type, url, metadata;
            if (video)
            {
                type = "video";
                url = $"{MediaBaseUrl}/video/{id}.mp4";
                var seconds = rng.Next(3, 180);
                var (w, h) = rng.Chance(0.5) ? (1920, 1080) : (3840, 2160);
                metadata = string.Create(Inv,
                    $"{{\"mime_type\": \"video/mp4\", \"width\": {w}, \"height\": {h}, \"duration_s\": {seconds}, \"size_bytes\": {size}, \"device\": {Json(device)}}}");
            }
            else
            {
                type = "image";
                url = $"{MediaBaseUrl}/image/{id}.jpg";
                var (w, h) = rng.Chance(0.7) ? (4032, 3024) : (3024, 4032);
                metadata = string.Create(Inv,
                    $"{{\"mime_type\": \"image/jpeg\", \"width\": {w}, \"height\": {h}, \"size_bytes\": {size}, \"device\": {Json(device)}}}");
            }
            yield return new DemoMediaRow(id, reportId, url, type, metadata, $"{MediaBaseUrl}/thumbnails/{id}.jpg");
        }
    }

    // ------------------------------------------------------------------ favorites

    /// <summary>About a third of the users favorite a handful of reports each.</summary>
    public IEnumerable<DemoFavoriteRow> Favorites(int reportCount)
    {
        if (reportCount <= 0) yield break;
        var chosen = new HashSet<long>();
        for (var n = 1; n <= UserCount; n++)
        {
            var rng = SeedRandom.For(seed, SeedStream.Favorites, n);
            if (!rng.Chance(0.35)) continue;
            var userId = UserId(n);
            var want = Math.Min(reportCount, rng.Next(1, 16));
            chosen.Clear();
            while (chosen.Count < want)
            {
                var i = rng.Next(reportCount);
                if (!chosen.Add(i)) continue;
                var created = Report(i).Timestamp.AddHours(rng.Next(1, 24 * 60));
                yield return new DemoFavoriteRow(userId, ReportId(i), created > PeriodEnd ? PeriodEnd : created);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int PickCategory(ref SeedRandom rng)
    {
        var ticket = rng.Next(CategoryCumulativeWeights[^1]);
        var i = Array.BinarySearch(CategoryCumulativeWeights, ticket + 1);
        return i >= 0 ? i : ~i;
    }

    /// <summary>A few users post most reports, as on any real site.</summary>
    private static int PickUser(ref SeedRandom rng)
    {
        var u = rng.NextDouble();
        return 1 + (int)(u * u * UserCount);
    }

    /// <summary>A day in the period, at an hour that is mostly night where the report was made.</summary>
    private static DateTime PickTimestamp(ref SeedRandom rng, double lng)
    {
        var day = PeriodStart.AddDays(rng.Next(730));
        var localHour = rng.Chance(0.75) ? (19 + rng.NextDouble() * 9) % 24 : rng.NextDouble() * 24;
        var utc = day.AddSeconds(Math.Floor((localHour - lng / 15.0) * 3600));
        if (utc >= PeriodEnd) utc = utc.AddDays(-1);
        if (utc < PeriodStart) utc = utc.AddDays(1);
        return utc;
    }

    private static string Describe(ref SeedRandom rng, DemoCity city, int primary, int? secondary)
    {
        var sb = new StringBuilder(200);
        var subject = rng.Pick(DemoVocabulary.Categories[primary].Subjects);
        sb.Append(rng.Pick(DemoVocabulary.Openings)).Append(", I saw ").Append(subject).Append(' ')
            .Append(rng.Pick(DemoVocabulary.Motions)).Append(' ');
        sb.Append(rng.Chance(0.3) ? $"on the outskirts of {city.Name}" : rng.Pick(DemoVocabulary.Places)).Append(". ");
        if (secondary is { } s)
            sb.Append("Then I noticed ").Append(rng.Pick(DemoVocabulary.Categories[s].Subjects)).Append(". ");
        sb.Append(rng.Pick(DemoVocabulary.Details));
        sb.Append(" It lasted ").Append(rng.Pick(DemoVocabulary.Durations)).Append('.');
        var witness = rng.Pick(DemoVocabulary.Witnesses);
        if (witness.Length > 0) sb.Append(' ').Append(witness);
        return sb.ToString();
    }

    private static double WrapLongitude(double lng) =>
        lng >= 180 ? lng - 360 : lng < -180 ? lng + 360 : lng;

    private static int[] CumulativeWeights()
    {
        var sums = new int[DemoVocabulary.Categories.Count];
        var total = 0;
        for (var i = 0; i < sums.Length; i++) sums[i] = total += DemoVocabulary.Categories[i].Weight;
        return sums;
    }

    /// <summary>A JSON string literal (the word lists hold no control characters).</summary>
    private static string Json(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
