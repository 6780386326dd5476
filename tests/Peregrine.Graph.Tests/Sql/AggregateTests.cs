using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sql;

/// <summary>Aggregates, aggregate ordering and aggregate predicates, each against the same question in SQL.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class AggregateTests(PeregrineFixture fx)
{
    [Fact]
    public async Task Root_aggregate_counts_and_summarises_the_filtered_rows()
    {
        var data = (await fx.GraphQLAsync("""
            { phenom_reports_aggregate(where: {description: {_ilike: "%light%"}}) {
                aggregate { count n: count(columns: [user_id], distinct: true) max { timestamp } min { timestamp } __typename }
                __typename
            } }
            """)).Data()["phenom_reports_aggregate"]!;
        var agg = data["aggregate"]!;
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE description ILIKE '%light%'"), agg["count"]!.GetValue<long>());
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(DISTINCT user_id) FROM phenom_reports WHERE description ILIKE '%light%'"), agg["n"]!.GetValue<long>());
        var max = await fx.ScalarAsync<DateTime>("SELECT max(\"timestamp\") FROM phenom_reports WHERE description ILIKE '%light%'");
        Assert.Equal(max, DateTime.Parse(agg["max"]!["timestamp"]!.GetValue<string>()).ToUniversalTime());
        Assert.Equal("phenom_reports_aggregate_fields", agg["__typename"]!.GetValue<string>());
        Assert.Equal("phenom_reports_aggregate", data["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task Numeric_aggregates_match_sql()
    {
        await fx.ScalarAsync<int>("UPDATE phenom_reports SET h3_resolution = (abs(hashtext(id::text)) % 16) WHERE h3_resolution IS NULL AND description ILIKE '%sky%'");
        var agg = (await fx.GraphQLAsync("""
            { phenom_reports_aggregate(where: {h3_resolution: {_is_null: false}}) { aggregate {
                sum { h3_resolution } avg { h3_resolution } stddev { h3_resolution } variance { h3_resolution } var_pop { h3_resolution } } } }
            """)).Data()["phenom_reports_aggregate"]!["aggregate"]!;
        Assert.Equal(await fx.ScalarAsync<long>("SELECT sum(h3_resolution) FROM phenom_reports"), agg["sum"]!["h3_resolution"]!.GetValue<long>());
        Assert.Equal((double)(await fx.ScalarAsync<decimal>("SELECT avg(h3_resolution) FROM phenom_reports")), agg["avg"]!["h3_resolution"]!.GetValue<double>(), 9);
        Assert.Equal((double)(await fx.ScalarAsync<decimal>("SELECT stddev(h3_resolution) FROM phenom_reports")), agg["stddev"]!["h3_resolution"]!.GetValue<double>(), 9);
        Assert.Equal((double)(await fx.ScalarAsync<decimal>("SELECT var_pop(h3_resolution) FROM phenom_reports")), agg["var_pop"]!["h3_resolution"]!.GetValue<double>(), 9);
    }

    [Fact]
    public async Task Aggregate_nodes_keep_order_limit_and_offset()
    {
        var data = (await fx.GraphQLAsync("{ phenom_reports_aggregate(order_by: {timestamp: desc}, limit: 7, offset: 2) { aggregate { count } nodes { id } } }"))
            .Data()["phenom_reports_aggregate"]!;
        Assert.Equal(7, data["aggregate"]!["count"]!.GetValue<int>());
        var expected = await fx.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY \"timestamp\" DESC) FROM (SELECT id, \"timestamp\" FROM phenom_reports ORDER BY \"timestamp\" DESC LIMIT 7 OFFSET 2) x");
        Assert.Equal(expected, string.Join(',', data["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Relationship_aggregates_count_per_parent()
    {
        var users = (await fx.GraphQLAsync("""
            { users(order_by: {email: asc}, limit: 5) { email phenom_reports_aggregate { aggregate { count } } favorites_aggregate { aggregate { count } } } }
            """)).Data()["users"]!.AsArray();
        foreach (var u in users)
        {
            var email = u!["email"]!.GetValue<string>();
            Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports r JOIN users u ON u.id = r.user_id WHERE u.email = $1", email),
                u["phenom_reports_aggregate"]!["aggregate"]!["count"]!.GetValue<long>());
            Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM user_favorites f JOIN users u ON u.id = f.user_id WHERE u.email = $1", email),
                u["favorites_aggregate"]!["aggregate"]!["count"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task Order_by_an_array_relationship_aggregate()
    {
        var users = (await fx.GraphQLAsync("{ users(order_by: [{phenom_reports_aggregate: {count: desc}}, {email: asc}], limit: 5) { email } }"))
            .Data()["users"]!.AsArray().Select(u => u!["email"]!.GetValue<string>());
        var expected = await fx.ScalarAsync<string>("""
            SELECT string_agg(email, ',' ORDER BY n DESC, email) FROM (
              SELECT u.email, (SELECT count(*) FROM phenom_reports r WHERE r.user_id = u.id) n FROM users u ORDER BY n DESC, u.email LIMIT 5) x
            """);
        Assert.Equal(expected, string.Join(',', users));

        var reports = (await fx.GraphQLAsync("{ phenom_reports(order_by: [{media_aggregate: {max: {url: desc_nulls_last}}}, {id: asc}], limit: 5) { id } }"))
            .Data()["phenom_reports"]!.AsArray().Select(u => u!["id"]!.GetValue<string>());
        var expectedReports = await fx.ScalarAsync<string>("""
            SELECT string_agg(id::text, ',' ORDER BY m DESC NULLS LAST, id) FROM (
              SELECT r.id, (SELECT max(url) FROM phenom_media m WHERE m.report_id = r.id) m FROM phenom_reports r ORDER BY m DESC NULLS LAST, r.id LIMIT 5) x
            """);
        Assert.Equal(expectedReports, string.Join(',', reports));
    }

    [Theory]
    [InlineData("{media_aggregate: {count: {predicate: {_gt: 2}}}}", "(SELECT count(*) FROM phenom_media m WHERE m.report_id = r.id) > 2")]
    [InlineData("{media_aggregate: {count: {predicate: {_eq: 0}}}}", "(SELECT count(*) FROM phenom_media m WHERE m.report_id = r.id) = 0")]
    [InlineData("{media_aggregate: {count: {predicate: {_gte: 1}, filter: {type: {_eq: \"video\"}}}}}", "(SELECT count(*) FROM phenom_media m WHERE m.report_id = r.id AND m.type = 'video') >= 1")]
    [InlineData("{categories_aggregate: {count: {predicate: {_eq: 2}}}}", "(SELECT count(*) FROM phenom_report_categories b WHERE b.report_id = r.id) = 2")]
    public async Task Aggregate_predicates_filter_like_sql(string where, string condition)
    {
        var count = (await fx.GraphQLAsync($"{{ phenom_reports_aggregate(where: {where}) {{ aggregate {{ count }} }} }}"))
            .Data()["phenom_reports_aggregate"]!["aggregate"]!["count"]!.GetValue<long>();
        var expected = await fx.ScalarAsync<long>($"SELECT count(*) FROM phenom_reports r WHERE {condition}");
        Assert.Equal(expected, count);
        Assert.InRange(expected, 1, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports") - 1);
    }

    [Fact]
    public async Task Many_to_many_counts_match_sql_with_and_without_a_filter()
    {
        var categories = (await fx.GraphQLAsync("""
            { categories(order_by: {name: asc}) { name all: phenom_reports_aggregate { aggregate { count } }
                recent: phenom_reports_aggregate(where: {timestamp: {_gt: "2026-06-01T00:00:00Z"}}) { aggregate { count } } } }
            """)).Data()["categories"]!.AsArray();
        Assert.NotEmpty(categories);
        foreach (var c in categories)
        {
            var name = c!["name"]!.GetValue<string>();
            Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE c.name = $1", name),
                c["all"]!["aggregate"]!["count"]!.GetValue<long>());
            Assert.Equal(await fx.ScalarAsync<long>("""
                SELECT count(*) FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id JOIN phenom_reports r ON r.id = b.report_id
                WHERE c.name = $1 AND r."timestamp" > '2026-06-01Z'
                """, name), c["recent"]!["aggregate"]!["count"]!.GetValue<long>());
        }
    }
}
