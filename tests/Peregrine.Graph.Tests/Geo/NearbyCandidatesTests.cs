using System.Globalization;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Geo;

/// <summary>
/// "Within d metres, ordered, limited" starts from the H3 cover of the disk; the rows must be exactly what
/// PostGIS alone returns for the same question, including rows that carry no stored cell.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class NearbyCandidatesTests(PeregrineFixture fx)
{
    [Theory]
    [InlineData(-74.006, 40.7128, 20_000, "[{timestamp: desc}, {id: asc}]", "\"timestamp\" DESC NULLS FIRST, id", 10)]
    [InlineData(-74.006, 40.7128, 5_000, "[{timestamp: asc}, {id: desc}]", "\"timestamp\" ASC NULLS LAST, id DESC", 50)]
    [InlineData(-74.006, 40.7128, 400_000, "{id: asc}", "id", 30)]
    [InlineData(-0.1276, 51.5072, 50_000, "[{timestamp: desc}, {id: asc}]", "\"timestamp\" DESC NULLS FIRST, id", 5)]
    [InlineData(139.69, 35.68, 1_000, "[{timestamp: desc}, {id: asc}]", "\"timestamp\" DESC NULLS FIRST, id", 5)]
    public async Task Rows_are_postgis_rows_in_order(double lng, double lat, double meters, string orderBy, string sqlOrder, int limit)
    {
        var point = $"{{type: \"Point\", coordinates: [{F(lng)}, {F(lat)}]}}";
        using var capture = new SqlCapture(fx.DatabaseName);
        var rows = (await fx.GraphQLAsync(
                $"{{ phenom_reports(where: {{location: {{_st_d_within: {{from: {point}, distance: {F(meters)}}}}}}}, order_by: {orderBy}, limit: {limit}) {{ id }} }}"))
            .Data()["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        var expected = await fx.ScalarAsync<string>(
            $"SELECT string_agg(id::text, ',' ORDER BY ord) FROM (SELECT id, row_number() OVER (ORDER BY {sqlOrder}) ord FROM phenom_reports " +
            $"WHERE ST_DWithin(location, ST_GeogFromText('POINT({F(lng)} {F(lat)})'), {F(meters)}, true) ORDER BY {sqlOrder} LIMIT {limit}) s");
        Assert.Equal(expected?.Split(',') ?? [], rows);
        Assert.Contains(capture.Statements, s => s.Contains("unnest(", StringComparison.Ordinal) && s.Contains("h3_cell_r15", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_disk_finds_something_for_the_main_case()
    {
        Assert.InRange(await fx.ScalarAsync<long>(
            "SELECT count(*) FROM phenom_reports WHERE ST_DWithin(location, ST_GeogFromText('POINT(-74.006 40.7128)'), 20000, true)"), 11, PeregrineFixture.SeedReports - 1);
    }

    [Fact]
    public async Task A_row_without_a_stored_cell_is_still_found()
    {
        var id = Guid.NewGuid();
        // Written by SQL, not through the API: no H3 cells, newest of all.
        await fx.ScalarAsync<int>("""
            INSERT INTO phenom_reports (id, location, "timestamp", description)
            VALUES ($1, ST_GeogFromText('POINT(-74.0 40.71)'), now() + interval '1 day', 'no cell') RETURNING 1
            """, id);
        try
        {
            var rows = (await fx.GraphQLAsync(
                    "{ phenom_reports(where: {location: {_st_d_within: {from: {type: \"Point\", coordinates: [-74.006, 40.7128]}, distance: 5000}}}, order_by: {timestamp: desc}, limit: 3) { id h3_index } }"))
                .Data()["phenom_reports"]!.AsArray();
            Assert.Equal(id.ToString(), rows[0]!["id"]!.GetValue<string>());
            Assert.Null(rows[0]!["h3_index"]);
        }
        finally
        {
            await fx.ScalarAsync<int>("DELETE FROM phenom_reports WHERE id = $1 RETURNING 1", id);
        }
    }

    private static string F(double x) => x.ToString(CultureInfo.InvariantCulture);
}
