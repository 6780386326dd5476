using Npgsql;
using Peregrine.Domain.Seeding;

namespace Peregrine.Domain.Tests.Seeding;

/// <summary>The seeder against a real, migrated PostgreSQL database.</summary>
public sealed class DemoSeederTests(SeedingDatabaseFixture db) : IClassFixture<SeedingDatabaseFixture>
{
    private const int Reports = 1500;

    private static readonly string[] Tables =
        ["users", "categories", "phenom_reports", "phenom_media", "phenom_report_categories", "user_favorites"];

    [Fact]
    public async Task IsEmpty_is_true_until_reports_are_seeded()
    {
        await ExecuteAsync("TRUNCATE phenom_reports CASCADE");
        Assert.True(await DemoSeeder.IsEmptyAsync(db.DataSource));

        await DemoSeeder.SeedAsync(db.DataSource, 10);

        Assert.False(await DemoSeeder.IsEmptyAsync(db.DataSource));
    }

    [Fact]
    public async Task Seeding_the_same_count_twice_gives_identical_rows()
    {
        var first = await DemoSeeder.SeedAsync(db.DataSource, Reports);
        var before = await DigestAsync();

        var second = await DemoSeeder.SeedAsync(db.DataSource, Reports);
        var after = await DigestAsync();

        Assert.Equal(first, second);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Counts_match_the_result_and_the_shape_of_the_demo()
    {
        var result = await DemoSeeder.SeedAsync(db.DataSource, Reports);

        Assert.Equal(new SeedResult(200, 12, Reports, result.Media), result);
        Assert.Equal(200L, await ScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(12L, await ScalarAsync<long>("SELECT count(DISTINCT name) FROM categories"));
        Assert.Equal((long)Reports, await ScalarAsync<long>("SELECT count(*) FROM phenom_reports"));
        Assert.Equal((long)result.Media, await ScalarAsync<long>("SELECT count(*) FROM phenom_media"));
        Assert.InRange(result.Media, Reports / 2, Reports * 2);

        Assert.Equal(200L, await ScalarAsync<long>(
            "SELECT count(*) FROM users WHERE email ~ '^user([1-9][0-9]*)@example\\.com$' AND password_hash IS NULL " +
            "AND profile ? 'display_name' AND profile ? 'avatar_url'"));
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT report_id FROM phenom_media GROUP BY report_id HAVING count(*) > 3) x"));
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM phenom_media WHERE type NOT IN ('image', 'video') " +
            "OR url !~ ('^https://cdn\\.peregrine\\.example/media/' || type || '/' || id || '\\.(jpg|mp4)$') " +
            "OR thumbnail_url IS NULL OR metadata->>'mime_type' IS NULL"));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM user_favorites") > 0);
    }

    [Fact]
    public async Task Every_report_has_one_or_two_categories()
    {
        await DemoSeeder.SeedAsync(db.DataSource, Reports);

        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM phenom_reports r WHERE (SELECT count(*) FROM phenom_report_categories c " +
            "WHERE c.report_id = r.id) NOT BETWEEN 1 AND 2"));
    }

    [Fact]
    public async Task Reports_lie_near_a_city_within_the_demo_period()
    {
        await DemoSeeder.SeedAsync(db.DataSource, Reports);

        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM phenom_reports WHERE ST_Y(location::geometry) NOT BETWEEN -90 AND 90 " +
            "OR ST_X(location::geometry) NOT BETWEEN -180 AND 180 " +
            "OR abs((coordinates->>'lat')::float8 - ST_Y(location::geometry)) > 1e-9 " +
            "OR abs((coordinates->>'lng')::float8 - ST_X(location::geometry)) > 1e-9 " +
            "OR (coordinates->>'accuracy_m')::int <= 0 OR description IS NULL OR length(description) < 40"));

        var cities = string.Join(", ", DemoCities.All.Select(c =>
            FormattableString.Invariant($"ST_SetSRID(ST_MakePoint({c.Lng}, {c.Lat}), 4326)::geography")));
        Assert.Equal(0L, await ScalarAsync<long>(
            $"SELECT count(*) FROM phenom_reports r WHERE NOT EXISTS (SELECT 1 FROM unnest(ARRAY[{cities}]) c " +
            "WHERE ST_DWithin(r.location, c, 400000))"));

        await using var cmd = db.DataSource.CreateCommand(
            "SELECT count(*) FROM phenom_reports WHERE \"timestamp\" < $1 OR \"timestamp\" >= $2");
        cmd.Parameters.AddWithValue(DemoDataGenerator.PeriodStart);
        cmd.Parameters.AddWithValue(DemoDataGenerator.PeriodEnd);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        Assert.True(await ScalarAsync<long>("SELECT count(DISTINCT date_trunc('month', \"timestamp\")) FROM phenom_reports") >= 20);
    }

    [Fact]
    public async Task Descriptions_are_full_text_searchable()
    {
        await DemoSeeder.SeedAsync(db.DataSource, Reports);

        Assert.True(await ScalarAsync<long>(
            "SELECT count(*) FROM phenom_reports WHERE to_tsvector('english', description) @@ plainto_tsquery('english', 'glowing orbs')") > 0);
    }

    private async Task<string> DigestAsync()
    {
        var parts = new List<string>();
        foreach (var table in Tables)
            parts.Add(await ScalarAsync<string>(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t"));
        return string.Join(" ", parts);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
