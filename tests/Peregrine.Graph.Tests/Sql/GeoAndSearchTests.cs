using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sql;

/// <summary>Distance output and nearest-first ordering, full-text search and jsonb operators, against PostGIS and PostgreSQL themselves.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class GeoAndSearchTests(PeregrineFixture fx)
{
    private const string NewYork = "{type: \"Point\", coordinates: [-74.006, 40.7128]}";

    [Fact]
    public async Task Distance_is_postgis_distance_and_orders_nearest_first()
    {
        var rows = (await fx.GraphQLAsync($$$"""
            { phenom_reports(order_by: {distance: {from: {{{NewYork}}}}}, limit: 10) { id distance(from: {{{NewYork}}}) sphere: distance(from: {{{NewYork}}}, use_spheroid: false) } }
            """)).Data()["phenom_reports"]!.AsArray();
        Assert.Equal(10, rows.Count);
        var expected = await fx.ScalarAsync<string>("""
            SELECT string_agg(id::text, ',' ORDER BY d) FROM (
              SELECT id, location <-> ST_GeogFromText('POINT(-74.006 40.7128)') d FROM phenom_reports ORDER BY d LIMIT 10) x
            """);
        Assert.Equal(expected, string.Join(',', rows.Select(r => r!["id"]!.GetValue<string>())));
        foreach (var r in rows)
        {
            var id = Guid.Parse(r!["id"]!.GetValue<string>());
            Assert.Equal(await fx.ScalarAsync<double>("SELECT ST_Distance(location, ST_GeogFromText('POINT(-74.006 40.7128)'), true) FROM phenom_reports WHERE id = $1", id),
                r["distance"]!.GetValue<double>(), 6);
            Assert.Equal(await fx.ScalarAsync<double>("SELECT ST_Distance(location, ST_GeogFromText('POINT(-74.006 40.7128)'), false) FROM phenom_reports WHERE id = $1", id),
                r["sphere"]!.GetValue<double>(), 6);
        }

        var farthest = (await fx.GraphQLAsync($$$"""{ phenom_reports(order_by: {distance: {from: {{{NewYork}}}, order: desc}}, limit: 1) { id } }"""))
            .Data()["phenom_reports"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports ORDER BY location <-> ST_GeogFromText('POINT(-74.006 40.7128)') DESC LIMIT 1"), farthest);
    }

    [Fact]
    public async Task Search_finds_descriptions_and_category_names_best_first()
    {
        var rows = (await fx.GraphQLAsync("{ search_phenom_reports(args: {search: \"humming orb\"}) { id } }")).Data()["search_phenom_reports"]!.AsArray();
        var expected = await fx.ScalarAsync<string>("""
            WITH q AS (SELECT websearch_to_tsquery('english', 'humming orb') q)
            SELECT string_agg(id::text, ',' ORDER BY rank DESC, id) FROM (
              SELECT r.id, ts_rank(to_tsvector('english', coalesce(r.description, '')), q.q)
                   + 0.1 * (SELECT count(*) FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id
                            WHERE b.report_id = r.id AND to_tsvector('english', coalesce(c.name, '')) @@ q.q) AS rank
              FROM phenom_reports r, q
              WHERE to_tsvector('english', coalesce(r.description, '')) @@ q.q
                 OR EXISTS (SELECT 1 FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id
                            WHERE b.report_id = r.id AND to_tsvector('english', coalesce(c.name, '')) @@ q.q)) x
            """);
        Assert.False(string.IsNullOrEmpty(expected));
        Assert.Equal(expected, string.Join(',', rows.Select(r => r!["id"]!.GetValue<string>())));

        // A category name alone is enough to match; where/limit combine with the search.
        var byCategory = (await fx.GraphQLAsync("{ search_phenom_reports(args: {search: \"fireball\"}, where: {user_id: {_is_null: false}}, limit: 5, order_by: {timestamp: desc}) { categories { name } description timestamp } }"))
            .Data()["search_phenom_reports"]!.AsArray();
        Assert.Equal(5, byCategory.Count);
        Assert.All(byCategory, r => Assert.True(
            r!["description"]!.GetValue<string>().Contains("fireball", StringComparison.OrdinalIgnoreCase)
            || r["categories"]!.AsArray().Any(c => c!["name"]!.GetValue<string>() == "Fireball")));
        var times = byCategory.Select(r => DateTime.Parse(r!["timestamp"]!.GetValue<string>())).ToList();
        Assert.Equal(times.OrderDescending(), times);

        Assert.Empty((await fx.GraphQLAsync("{ search_phenom_reports(args: {search: \"zzqqxx\"}) { id } }")).Data()["search_phenom_reports"]!.AsArray());
    }

    [Theory]
    [InlineData("{coordinates: {_contains: {accuracy_m: 5}}}", "coordinates @> '{\"accuracy_m\": 5}'")]
    [InlineData("{coordinates: {_has_keys_all: [\"lat\", \"lng\"]}}", "coordinates ?& array['lat', 'lng']")]
    [InlineData("{coordinates: {_has_keys_any: [\"nope\", \"lat\"]}}", "coordinates ?| array['nope', 'lat']")]
    [InlineData("{coordinates: {_cast: {String: {_like: \"%accuracy_m\\\": 1%\"}}}}", "coordinates::text LIKE '%accuracy_m\": 1%'")]
    public async Task Jsonb_operators_match_sql(string where, string condition)
    {
        var count = (await fx.GraphQLAsync($"{{ phenom_reports_aggregate(where: {where}) {{ aggregate {{ count }} }} }}"))
            .Data()["phenom_reports_aggregate"]!["aggregate"]!["count"]!.GetValue<long>();
        Assert.Equal(await fx.ScalarAsync<long>($"SELECT count(*) FROM phenom_reports WHERE {condition}"), count);
    }
}
