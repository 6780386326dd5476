using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Http;

/// <summary>The app's operations from the contract, sent verbatim, checked against the database itself.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class ContractOperationsTests(PeregrineFixture fx)
{
    private static string Operation(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contract", $"{name}.graphql"));

    [Fact]
    public async Task GetRecentPhenoms_returns_the_newest_reports_with_user_media_and_categories()
    {
        var data = (await fx.GraphQLAsync(Operation("GetRecentPhenoms"), new { limit = 5 })).Data();
        var reports = data["phenom_reports"]!.AsArray();
        Assert.Equal(5, reports.Count);

        var expectedIds = await fx.ScalarAsync<string>(
            "SELECT string_agg(id::text, ',' ORDER BY \"timestamp\" DESC) FROM (SELECT id, \"timestamp\" FROM phenom_reports ORDER BY \"timestamp\" DESC LIMIT 5) x");
        Assert.Equal(expectedIds, string.Join(',', reports.Select(r => r!["id"]!.GetValue<string>())));

        foreach (var r in reports)
        {
            var id = Guid.Parse(r!["id"]!.GetValue<string>());
            Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media WHERE report_id = $1", id), r["media"]!.AsArray().Count);
            var names = await fx.ScalarAsync<string>(
                "SELECT coalesce(string_agg(c.name, ',' ORDER BY c.name), '') FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = $1", id);
            Assert.Equal(names, string.Join(',', r["categories"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)));
            var userId = await fx.ScalarAsync<string>("SELECT user_id::text FROM phenom_reports WHERE id = $1", id);
            Assert.Equal(userId, r["user"]?["id"]?.GetValue<string>());
            Assert.Equal("Point", r["location"]!["type"]!.GetValue<string>());
            var lng = await fx.ScalarAsync<double>("SELECT ST_X(location::geometry) FROM phenom_reports WHERE id = $1", id);
            Assert.Equal(lng, r["location"]!["coordinates"]![0]!.GetValue<double>(), 9);
        }
    }

    [Fact]
    public async Task GetPhenomsByHex_returns_exactly_the_reports_with_that_h3_index()
    {
        // Two old reports stored with a known cell (as the app sends it), one with a neighbour's.
        const string cell = "872a1072fffffff";
        await fx.ScalarAsync<int>("""
            INSERT INTO phenom_reports (location, "timestamp", h3_index, h3_resolution, description) VALUES
              (ST_GeogFromText('POINT(-73.98 40.75)'), '2001-01-01Z', '872a1072fffffff', 7, 'hex a'),
              (ST_GeogFromText('POINT(-73.98 40.75)'), '2001-01-02Z', '872a1072fffffff', 7, 'hex b'),
              (ST_GeogFromText('POINT(-73.98 40.75)'), '2001-01-03Z', '872a1070fffffff', 7, 'hex c')
            """);

        var data = (await fx.GraphQLAsync(Operation("GetPhenomsByHex"), new { h3Index = cell })).Data();
        var ids = data["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order().ToList();
        var expected = (await fx.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id::text) FROM phenom_reports WHERE h3_index = $1", cell))!.Split(',');
        Assert.Equal(expected, ids);
        Assert.All(data["phenom_reports"]!.AsArray(), r => Assert.NotNull(r!["media"]));
    }

    [Fact]
    public async Task CreatePhenomReport_inserts_the_report_with_nested_media_and_categories()
    {
        var report = new JsonObject
        {
            ["description"] = "Three silent lights in a triangle over the harbour",
            ["location"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(-122.4194, 37.7749) },
            ["coordinates"] = new JsonObject { ["lat"] = 37.7749, ["lng"] = -122.4194 },
            ["timestamp"] = "2026-11-20T21:15:00Z",
            ["h3_resolution"] = 7,
            ["media"] = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["url"] = "https://cdn.example/m/1.mp4", ["type"] = "video" }) },
            ["categories"] = new JsonObject
            {
                ["data"] = new JsonArray(new JsonObject { ["name"] = "Lights", ["icon"] = "lightbulb" }),
                ["on_conflict"] = new JsonObject { ["constraint"] = "categories_name_key", ["update_columns"] = new JsonArray("icon") }
            },
        };
        var data = (await fx.GraphQLAsync(Operation("CreatePhenomReport"), new { report })).Data();
        var created = data["insert_phenom_reports_one"]!;
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.Equal("2026-11-20T21:15:00+00:00", created["timestamp"]!.GetValue<string>());

        Assert.Equal("Three silent lights in a triangle over the harbour",
            await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1", id));
        Assert.Equal(37.7749, await fx.ScalarAsync<double>("SELECT ST_Y(location::geometry) FROM phenom_reports WHERE id = $1", id), 9);
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media WHERE report_id = $1 AND type = 'video'", id));
        Assert.Equal("lightbulb", await fx.ScalarAsync<string>(
            "SELECT c.icon FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = $1", id));
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM categories WHERE name = 'Lights'"));
    }
}
