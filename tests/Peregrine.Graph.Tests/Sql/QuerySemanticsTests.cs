using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sql;

/// <summary>where / order_by / limit / offset / distinct_on / relationships, each checked against the same question asked in SQL.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class QuerySemanticsTests(PeregrineFixture fx)
{
    private async Task<List<string>> IdsAsync(string where, string orderBy = "{id: asc}", string extra = "")
    {
        var data = (await fx.GraphQLAsync($"{{ phenom_reports(where: {where}, order_by: {orderBy} {extra}) {{ id }} }}")).Data();
        return data["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
    }

    private async Task<List<string>> SqlIdsAsync(string sql, params object[] args) =>
        ((await fx.ScalarAsync<string>($"SELECT coalesce(string_agg(id::text, ',' ORDER BY ord), '') FROM (SELECT id, row_number() OVER () AS ord FROM ({sql}) q) x", args)) ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    [Theory]
    [InlineData("{description: {_ilike: \"%orb%\"}}", "SELECT id FROM phenom_reports WHERE description ILIKE '%orb%' ORDER BY id")]
    [InlineData("{description: {_like: \"%Orb%\"}}", "SELECT id FROM phenom_reports WHERE description LIKE '%Orb%' ORDER BY id")]
    [InlineData("{description: {_nilike: \"%light%\"}}", "SELECT id FROM phenom_reports WHERE description NOT ILIKE '%light%' ORDER BY id")]
    [InlineData("{description: {_regex: \"^Just\"}}", "SELECT id FROM phenom_reports WHERE description ~ '^Just' ORDER BY id")]
    [InlineData("{description: {_iregex: \"^just\"}}", "SELECT id FROM phenom_reports WHERE description ~* '^just' ORDER BY id")]
    [InlineData("{description: {_similar: \"%(orb|disc)%\"}}", "SELECT id FROM phenom_reports WHERE description SIMILAR TO '%(orb|disc)%' ORDER BY id")]
    [InlineData("{timestamp: {_gte: \"2026-06-01T00:00:00Z\", _lt: \"2026-07-01T00:00:00Z\"}}", "SELECT id FROM phenom_reports WHERE \"timestamp\" >= '2026-06-01Z' AND \"timestamp\" < '2026-07-01Z' ORDER BY id")]
    [InlineData("{timestamp: {_lte: \"2025-01-01T00:00:00Z\"}}", "SELECT id FROM phenom_reports WHERE \"timestamp\" <= '2025-01-01Z' ORDER BY id")]
    [InlineData("{user_id: {_is_null: true}}", "SELECT id FROM phenom_reports WHERE user_id IS NULL ORDER BY id")]
    [InlineData("{user_id: {_is_null: false}, description: {_neq: \"x\"}}", "SELECT id FROM phenom_reports WHERE user_id IS NOT NULL AND description <> 'x' ORDER BY id")]
    [InlineData("{_or: [{description: {_ilike: \"%disc%\"}}, {description: {_ilike: \"%triangle%\"}}]}", "SELECT id FROM phenom_reports WHERE description ILIKE '%disc%' OR description ILIKE '%triangle%' ORDER BY id")]
    [InlineData("{_not: {description: {_ilike: \"%light%\"}}}", "SELECT id FROM phenom_reports WHERE NOT (description ILIKE '%light%') ORDER BY id")]
    [InlineData("{_and: [{description: {_ilike: \"%light%\"}}, {description: {_ilike: \"%sky%\"}}]}", "SELECT id FROM phenom_reports WHERE description ILIKE '%light%' AND description ILIKE '%sky%' ORDER BY id")]
    [InlineData("{}", "SELECT id FROM phenom_reports ORDER BY id")]
    [InlineData("{user: {email: {_like: \"user1%\"}}}", "SELECT r.id FROM phenom_reports r JOIN users u ON u.id = r.user_id WHERE u.email LIKE 'user1%' ORDER BY r.id")]
    [InlineData("{media: {type: {_eq: \"video\"}}}", "SELECT r.id FROM phenom_reports r WHERE EXISTS (SELECT 1 FROM phenom_media m WHERE m.report_id = r.id AND m.type = 'video') ORDER BY r.id")]
    [InlineData("{categories: {name: {_in: [\"Orb\", \"Sound\"]}}}", "SELECT r.id FROM phenom_reports r WHERE EXISTS (SELECT 1 FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = r.id AND c.name IN ('Orb', 'Sound')) ORDER BY r.id")]
    [InlineData("{categories: {name: {_nin: [\"Orb\", \"Sound\"]}}}", "SELECT r.id FROM phenom_reports r WHERE EXISTS (SELECT 1 FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = r.id AND c.name NOT IN ('Orb', 'Sound')) ORDER BY r.id")]
    [InlineData("{coordinates: {_has_key: \"accuracy_m\"}}", "SELECT id FROM phenom_reports WHERE coordinates ? 'accuracy_m' ORDER BY id")]
    [InlineData("{location: {_st_d_within: {from: {type: \"Point\", coordinates: [-74.006, 40.7128]}, distance: 20000}}}", "SELECT id FROM phenom_reports WHERE ST_DWithin(location, ST_GeogFromText('POINT(-74.006 40.7128)'), 20000) ORDER BY id")]
    public async Task Where_matches_the_same_filter_in_sql(string where, string sql)
    {
        var expected = await SqlIdsAsync(sql);
        Assert.Equal(expected, await IdsAsync(where));
    }

    [Fact]
    public async Task Filter_tests_are_not_vacuous()
    {
        // The seed must give the filters above something to find and something to leave out.
        Assert.InRange(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE description ILIKE '%orb%'"), 1, PeregrineFixture.SeedReports - 1);
        Assert.InRange(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports r WHERE EXISTS (SELECT 1 FROM phenom_media m WHERE m.report_id = r.id AND m.type = 'video')"), 1, PeregrineFixture.SeedReports - 1);
        Assert.InRange(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE ST_DWithin(location, ST_GeogFromText('POINT(-74.006 40.7128)'), 20000)"), 1, PeregrineFixture.SeedReports - 1);
    }

    [Fact]
    public async Task Uuid_in_and_variables_in_filters()
    {
        var some = await SqlIdsAsync("SELECT id FROM phenom_reports ORDER BY id LIMIT 3");
        var data = (await fx.GraphQLAsync("query($ids: [uuid!]) { phenom_reports(where: {id: {_in: $ids}}, order_by: {id: asc}) { id } }", new { ids = some })).Data();
        Assert.Equal(some, data["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{timestamp: desc}", "ORDER BY \"timestamp\" DESC NULLS FIRST, id")]
    [InlineData("{timestamp: asc}", "ORDER BY \"timestamp\" ASC NULLS LAST, id")]
    [InlineData("[{h3_index: asc_nulls_first}, {timestamp: desc}]", "ORDER BY h3_index ASC NULLS FIRST, \"timestamp\" DESC, id")]
    [InlineData("[{user_id: desc_nulls_last}, {timestamp: asc}]", "ORDER BY user_id DESC NULLS LAST, \"timestamp\" ASC, id")]
    [InlineData("[{user: {email: desc}}, {timestamp: asc}]", "ORDER BY (SELECT email FROM users u WHERE u.id = r.user_id) DESC NULLS FIRST, \"timestamp\" ASC, id")]
    public async Task Order_by_limit_and_offset_match_sql(string orderBy, string sqlOrder)
    {
        var expected = await SqlIdsAsync($"SELECT id FROM phenom_reports r {sqlOrder} LIMIT 25 OFFSET 5");
        // id breaks ties on both sides, so the exact order can be compared.
        var keys = $"[{orderBy.TrimStart('[').TrimEnd(']')}, {{id: asc}}]";
        var data = (await fx.GraphQLAsync($"{{ phenom_reports(order_by: {keys}, limit: 25, offset: 5) {{ id timestamp }} }}")).Data();
        var actual = data["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(25, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_variable_of_another_scalar_type_is_refused_before_anything_runs()
    {
        // GraphQL.NET alone lets Int and String variables into uuid positions; the database then saw "5".
        var r = await fx.GraphQLAsync("query($id: Int!) { phenom_reports_by_pk(id: $id) { id } }", new { id = 5 });
        Assert.Equal("validation-failed", r.ErrorCode());
        Assert.Contains("'$id' of type 'Int!'", (string?)r["errors"]![0]!["message"]);
        var nested = await fx.GraphQLAsync("query($t: String) { phenom_reports(where: {created_at: {_gt: $t}}) { id } }", new { t = "2020-01-01" });
        Assert.Equal("validation-failed", nested.ErrorCode());
        var right = await fx.GraphQLAsync("query($id: uuid!) { phenom_reports_by_pk(id: $id) { id } }", new { id = Guid.NewGuid() });
        Assert.Null(right.Data()["phenom_reports_by_pk"]);
    }

    [Fact]
    public async Task Distinct_on_keeps_one_row_per_value_and_requires_leading_order_by()
    {
        var data = (await fx.GraphQLAsync("{ phenom_media(distinct_on: [type], order_by: [{type: asc}, {url: asc}]) { type url } }")).Data();
        var rows = data["phenom_media"]!.AsArray();
        var expected = await fx.ScalarAsync<string>("SELECT string_agg(url, ',' ORDER BY type) FROM (SELECT DISTINCT ON (type) type, url FROM phenom_media ORDER BY type, url) x");
        Assert.Equal(expected, string.Join(',', rows.Select(r => r!["url"]!.GetValue<string>())));

        var bad = await fx.GraphQLAsync("{ phenom_media(distinct_on: [type], order_by: [{url: asc}]) { type } }");
        Assert.Equal("validation-failed", bad.ErrorCode());
    }

    [Fact]
    public async Task Array_relationship_arguments_apply_per_parent()
    {
        var data = (await fx.GraphQLAsync("""
            { users(order_by: {email: asc}, limit: 3) {
                email
                phenom_reports(order_by: {timestamp: desc}, limit: 2, where: {description: {_ilike: "%a%"}}) { id }
                favorites { report { id } }
            } }
            """)).Data();
        foreach (var u in data["users"]!.AsArray())
        {
            var email = u!["email"]!.GetValue<string>();
            var expected = await SqlIdsAsync("SELECT r.id FROM phenom_reports r JOIN users u ON u.id = r.user_id WHERE u.email = $1 AND r.description ILIKE '%a%' ORDER BY r.\"timestamp\" DESC LIMIT 2", email);
            Assert.Equal(expected, u["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
            var favorites = await fx.ScalarAsync<long>("SELECT count(*) FROM user_favorites f JOIN users u ON u.id = f.user_id WHERE u.email = $1", email);
            Assert.Equal(favorites, u["favorites"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task By_pk_returns_the_row_or_null()
    {
        var id = (await SqlIdsAsync("SELECT id FROM phenom_reports WHERE description IS NOT NULL ORDER BY id LIMIT 1"))[0];
        var data = (await fx.GraphQLAsync("query($id: uuid!) { phenom_reports_by_pk(id: $id) { id description categories { name } } }", new { id })).Data();
        Assert.Equal(id, data["phenom_reports_by_pk"]!["id"]!.GetValue<string>());
        Assert.Equal(await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", id),
            data["phenom_reports_by_pk"]!["description"]!.GetValue<string>());

        data = (await fx.GraphQLAsync("{ phenom_reports_by_pk(id: \"00000000-0000-0000-0000-000000000000\") { id } }")).Data();
        Assert.Null(data["phenom_reports_by_pk"]);

        data = (await fx.GraphQLAsync("{ phenom_report_categories_by_pk(report_id: \"00000000-0000-0000-0000-000000000000\", category_id: \"00000000-0000-0000-0000-000000000000\") { report_id } }")).Data();
        Assert.Null(data["phenom_report_categories_by_pk"]);
    }

    [Fact]
    public async Task Many_to_many_works_from_both_sides()
    {
        var data = (await fx.GraphQLAsync("{ categories(order_by: {name: asc}, limit: 2) { name phenom_reports(order_by: {id: asc}, limit: 3) { id categories { name } } } }")).Data();
        foreach (var c in data["categories"]!.AsArray())
        {
            var name = c!["name"]!.GetValue<string>();
            var expected = await SqlIdsAsync("SELECT r.id FROM phenom_reports r JOIN phenom_report_categories b ON b.report_id = r.id JOIN categories c ON c.id = b.category_id WHERE c.name = $1 ORDER BY r.id LIMIT 3", name);
            var reports = c["phenom_reports"]!.AsArray();
            Assert.Equal(expected, reports.Select(r => r!["id"]!.GetValue<string>()));
            Assert.All(reports, r => Assert.Contains(name, r!["categories"]!.AsArray().Select(x => x!["name"]!.GetValue<string>())));
        }
    }

    [Fact]
    public async Task A_selection_wider_than_one_json_build_object_keeps_its_order_and_values()
    {
        // 120 aliases (json_build_object takes 50 pairs), deliberately not in alphabetical order.
        var aliases = Enumerable.Range(0, 120).Select(i => $"k{(i * 37) % 120}_{(i % 2 == 0 ? "id" : "d")}").ToList();
        var selection = string.Join(' ', aliases.Select(a => $"{a}: {(a.EndsWith("_id") ? "id" : "description")}"));
        var row = (await fx.GraphQLAsync($"{{ phenom_reports(order_by: {{id: asc}}, limit: 1) {{ {selection} }} }}")).Data()["phenom_reports"]![0]!.AsObject();
        Assert.Equal(aliases, row.Select(p => p.Key));
        var id = (await SqlIdsAsync("SELECT id FROM phenom_reports ORDER BY id LIMIT 1"))[0];
        var description = await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", id);
        foreach (var a in aliases)
            Assert.Equal(a.EndsWith("_id") ? id : description, row[a]?.GetValue<string>());
    }
}
