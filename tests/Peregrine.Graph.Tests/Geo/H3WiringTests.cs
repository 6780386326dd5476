using System.Globalization;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Geo;

/// <summary>The server's use of H3 — stored cells, cell and k-ring filters, hex bins — checked against h3-js.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class H3WiringTests(PeregrineFixture fx)
{
    /// <summary>Every report's resolution-15 cell as h3-js writes it, by id.</summary>
    [Theory]
    [InlineData(40.7484, -73.9857, null)]
    [InlineData(-33.8688, 151.2093, 9)]
    [InlineData(64.1466, -21.9426, 0)]
    [InlineData(-16.5, 179.9999, 15)]
    [InlineData(0.0, 0.0, 4)]
    public async Task Inserted_reports_get_the_cells_h3js_gives(double lat, double lng, int? res)
    {
        var report = new JsonObject { ["location"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(lng, lat) } };
        if (res is not null) report["h3_resolution"] = res;
        var row = (await fx.GraphQLAsync("mutation($r: phenom_reports_insert_input!) { insert_phenom_reports_one(object: $r) { id h3_index h3_resolution } }",
            new { r = report })).Data()["insert_phenom_reports_one"]!;
        var expected = H3Oracle.Run("return [h3.latLngToCell(input[0], input[1], input[2]), h3.latLngToCell(input[0], input[1], 15)];",
            new JsonArray(lat, lng, res ?? 7));
        Assert.Equal(expected[0]!.GetValue<string>(), row["h3_index"]!.GetValue<string>());
        Assert.Equal(res ?? 7, row["h3_resolution"]!.GetValue<int>());
        Assert.Equal(expected[1]!.GetValue<string>(),
            await fx.ScalarAsync<string>("SELECT to_hex(h3_cell_r15) FROM phenom_reports WHERE id = $1::uuid", row["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_client_h3_index_must_contain_the_location()
    {
        var cell = H3Oracle.Run("return h3.latLngToCell(48.8566, 2.3522, 8);").GetValue<string>();
        var ok = await fx.GraphQLAsync($$"""mutation { insert_phenom_reports_one(object: {location: {type: "Point", coordinates: [2.3522, 48.8566]}, h3_index: "{{cell}}"}) { h3_index h3_resolution } }""");
        Assert.Equal(cell, ok.Data()["insert_phenom_reports_one"]!["h3_index"]!.GetValue<string>());
        Assert.Equal(8, ok.Data()["insert_phenom_reports_one"]!["h3_resolution"]!.GetValue<int>());

        var elsewhere = H3Oracle.Run("return h3.latLngToCell(51.5, -0.12, 8);").GetValue<string>();
        var before = await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports");
        var bad = await fx.GraphQLAsync($$"""mutation { insert_phenom_reports_one(object: {location: {type: "Point", coordinates: [2.3522, 48.8566]}, h3_index: "{{elsewhere}}"}) { id } }""");
        Assert.Equal("validation-failed", bad.ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("""mutation { insert_phenom_reports_one(object: {location: {type: "Point", coordinates: [2, 48]}, h3_index: "not-a-cell"}) { id } }""")).ErrorCode());
        Assert.Equal(before, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    public async Task In_cell_finds_the_reports_h3js_puts_inside_the_cell(int res)
    {
        var cells = await H3Oracle.StoredCellsAsync(fx);
        // The busiest cell at this resolution, and which reports h3-js puts in it.
        var parents = H3Oracle.Run("return Object.fromEntries(Object.entries(input.cells).map(([id, c]) => [id, h3.cellToParent(c, input.res)]));",
            new JsonObject { ["cells"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(cells)), ["res"] = res }).AsObject();
        var cell = parents.GroupBy(p => p.Value!.GetValue<string>()).OrderByDescending(g => g.Count()).First().Key;
        var expected = parents.Where(p => p.Value!.GetValue<string>() == cell).Select(p => p.Key).Order().ToList();

        using var capture = new SqlCapture(fx.DatabaseName);
        var ids = (await fx.GraphQLAsync("query($c: String!) { phenom_reports(where: {h3_index: {_h3_in_cell: $c}}) { id } }", new { c = cell }))
            .Data()["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(expected, ids);
        Assert.Contains("\"h3_cell_r15\" BETWEEN", capture.Statements.Single());
    }

    [Fact]
    public async Task Grid_disk_finds_the_reports_in_the_k_ring()
    {
        var cells = await H3Oracle.StoredCellsAsync(fx);
        var input = new JsonObject { ["cells"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(cells)), ["res"] = 5, ["k"] = 2 };
        var oracle = H3Oracle.Run("""
            const parents = Object.entries(input.cells).map(([id, c]) => [id, h3.cellToParent(c, input.res)]);
            const counts = {}; for (const [, p] of parents) counts[p] = (counts[p] || 0) + 1;
            const centre = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
            const disk = new Set(h3.gridDisk(centre, input.k));
            return { centre, ids: parents.filter(([, p]) => disk.has(p)).map(([id]) => id).sort() };
            """, input);
        var ids = (await fx.GraphQLAsync("query($c: String!) { phenom_reports(where: {h3_index: {_h3_grid_disk: {cell: $c, k: 2}}}) { id } }",
                new { c = oracle["centre"]!.GetValue<string>() }))
            .Data()["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(oracle["ids"]!.AsArray().Select(x => x!.GetValue<string>()).Order(StringComparer.Ordinal), ids);
        Assert.NotEmpty(ids);

        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ phenom_reports(where: {h3_index: {_h3_grid_disk: {cell: \"nope\", k: 1}}}) { id } }")).ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ phenom_reports(where: {h3_index: {_h3_in_cell: \"872a1072fffffff\"}}) { id } }")).ErrorCode());
    }

    [Fact]
    public async Task Hex_bins_count_like_h3js_and_carry_its_geometry()
    {
        var cells = await H3Oracle.StoredCellsAsync(fx);
        var expected = H3Oracle.Run("""
            const counts = {};
            for (const c of Object.values(input)) { const p = h3.cellToParent(c, 3); counts[p] = (counts[p] || 0) + 1; }
            return Object.fromEntries(Object.entries(counts).map(([p, n]) => [p, { n, center: h3.cellToLatLng(p), boundary: h3.cellToBoundary(p) }]));
            """, JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(cells))).AsObject();

        var bins = (await fx.GraphQLAsync("{ phenom_hex_bins(resolution: 3) { h3_index count center boundary __typename } }")).Data()["phenom_hex_bins"]!.AsArray();
        Assert.Equal(expected.Count, bins.Count);
        foreach (var bin in bins)
        {
            var e = expected[bin!["h3_index"]!.GetValue<string>()]!;
            Assert.Equal(e["n"]!.GetValue<int>(), bin["count"]!.GetValue<int>());
            Assert.Equal(e["center"]![0]!.GetValue<double>(), bin["center"]!["coordinates"]![1]!.GetValue<double>(), 9);
            Assert.Equal(e["center"]![1]!.GetValue<double>(), bin["center"]!["coordinates"]![0]!.GetValue<double>(), 9);
            var ring = bin["boundary"]!["coordinates"]![0]!.AsArray();
            var vertices = e["boundary"]!.AsArray();
            Assert.Equal(vertices.Count + 1, ring.Count);
            for (var i = 0; i < vertices.Count; i++)
            {
                Assert.Equal(vertices[i]![0]!.GetValue<double>(), ring[i]![1]!.GetValue<double>(), 7);
                Assert.Equal(vertices[i]![1]!.GetValue<double>(), ring[i]![0]!.GetValue<double>(), 7);
            }
            Assert.Equal("phenom_hex_bin", bin["__typename"]!.GetValue<string>());
        }
        var counts = bins.Select(b => b!["count"]!.GetValue<int>()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);

        var filtered = (await fx.GraphQLAsync("{ phenom_hex_bins(resolution: 0, where: {description: {_ilike: \"%orb%\"}}) { count } }")).Data()["phenom_hex_bins"]!.AsArray();
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE description ILIKE '%orb%' AND h3_cell_r15 IS NOT NULL"),
            filtered.Sum(b => b!["count"]!.GetValue<long>()));
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ phenom_hex_bins(resolution: 16) { count } }")).ErrorCode());
    }
}
