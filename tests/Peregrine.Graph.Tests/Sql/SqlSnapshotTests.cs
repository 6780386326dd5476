using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Tests.Infrastructure;
using Snapshooter;
using Snapshooter.Xunit;

namespace Peregrine.Graph.Tests.Sql;

/// <summary>
/// The compiled SQL of each operator family and each statement shape, snapshotted with the answer it gave on the
/// fixed demo data (as <see cref="Transport.Http.ContractSnapshotTests"/> does for the contract operations): a change in
/// the SQL the compiler writes is a reviewed diff of one of these files. The live-query and stream forms run in the
/// background, so their statements are snapshotted as compiled.
/// </summary>
[Collection(SnapshotCollection.Name)]
public sealed class SqlSnapshotTests(PeregrineFixture fx)
{
    // Reports after 2020: the contract snapshot's insert (dated 2001) never joins these answers.
    private const string Recent = "timestamp: {_gt: \"2020-01-01T00:00:00Z\"}";

    private async Task<JObject> RunAsync(string operation, object? variables = null)
    {
        using var capture = new SqlCapture(fx.DatabaseName);
        var response = await fx.GraphQLAsync(operation, variables);
        return new JObject
        {
            ["response"] = JToken.Parse(response.ToJsonString()),
            ["sql"] = new JArray(capture.Statements),
        };
    }

    private Task<JObject> ReportsAsync(string where) =>
        RunAsync($"{{ phenom_reports(where: {{{where}}}, order_by: {{timestamp: desc}}, limit: 2) {{ id }} }}");

    [Fact]
    public async Task Comparison_operators() => Snapshot.Match(await ReportsAsync(
        $"h3_resolution: {{_eq: 7, _neq: 8, _gte: 7, _lte: 7}}, {Recent}, description: {{_lt: \"zzzz\", _gt: \"\"}}"));

    [Fact]
    public async Task In_and_nin() => Snapshot.Match(await ReportsAsync(
        "h3_index: {_in: [\"8728f011dffffff\", \"8728f0b94ffffff\"]}, id: {_nin: [\"00000000-0000-0000-0000-000000000000\"]}"));

    [Fact]
    public async Task Text_operators() => Snapshot.Match(await RunAsync("""
        { categories(where: {name: {_like: "O%", _ilike: "o%", _nlike: "x%", _nilike: "x%", _similar: "O%", _nsimilar: "x%",
                                    _regex: "^O", _iregex: "^o", _nregex: "^x", _niregex: "^x"}}, order_by: {name: asc}) { name } }
        """));

    [Fact]
    public async Task Is_null() => Snapshot.Match(await ReportsAsync($"description: {{_is_null: false}}, h3_index: {{_is_null: false}}, {Recent}"));

    [Fact]
    public async Task Jsonb_operators() => Snapshot.Match(await RunAsync("""
        { users(where: {profile: {_contains: {home_city: "Denver"}, _has_key: "display_name", _has_keys_any: ["home_city", "x"],
                                  _has_keys_all: ["home_city", "display_name"]}}, order_by: {id: asc}, limit: 2) { id } }
        """));

    [Fact]
    public async Task PostGis_operators() => Snapshot.Match(await ReportsAsync("""
        location: {_st_d_within: {distance: 50000, from: {type: "Point", coordinates: [-122.67, 45.44]}},
                   _st_intersects: {type: "Polygon", coordinates: [[[-124, 44], [-121, 44], [-121, 47], [-124, 47], [-124, 44]]]}}
        """));

    [Fact]
    public async Task And_or_not() => Snapshot.Match(await ReportsAsync("_and: [{" + Recent + """
        }, {_or: [{h3_resolution: {_eq: 7}}, {h3_resolution: {_eq: 8}}]}], _not: {description: {_is_null: true}}
        """));

    [Fact]
    public async Task Relationships_in_where() => Snapshot.Match(await ReportsAsync(
        "user: {profile: {_contains: {home_city: \"Denver\"}}}, categories: {name: {_eq: \"Orb\"}}, media: {type: {_eq: \"image\"}}"));

    [Fact]
    public async Task Select_by_pk() => Snapshot.Match(await RunAsync(
        "{ phenom_reports_by_pk(id: \"6996c7e7-2bbc-4a73-b8f8-46f596775651\") { id h3_index user { id } categories { name } } }"));

    [Fact]
    public async Task Aggregate() => Snapshot.Match(await RunAsync(
        $"{{ phenom_reports_aggregate(where: {{{Recent}}}) {{ aggregate {{ count max {{ timestamp }} min {{ h3_resolution }} }} }} }}"));

    [Fact]
    public async Task Hex_bins() => Snapshot.Match(await RunAsync(
        $"{{ phenom_hex_bins(resolution: 1, where: {{{Recent}}}) {{ h3_index count }} }}"));

    [Fact]
    public async Task Insert_with_on_conflict()
    {
        await fx.ScalarAsync<int>("DELETE FROM categories WHERE name = 'snapshot-upsert'");
        try
        {
            Snapshot.Match(await RunAsync("""
                mutation { insert_categories(objects: [{name: "snapshot-upsert", icon: "a"}],
                  on_conflict: {constraint: categories_name_key, update_columns: [icon]}) { affected_rows returning { name icon } } }
                """));
        }
        finally { await fx.ScalarAsync<int>("DELETE FROM categories WHERE name = 'snapshot-upsert'"); }
    }

    [Fact]
    public async Task Update()
    {
        await fx.ScalarAsync<int>("INSERT INTO categories (name, icon) VALUES ('snapshot-update', 'a') ON CONFLICT (name) DO UPDATE SET icon = 'a'");
        try
        {
            Snapshot.Match(await RunAsync("""
                mutation { update_categories(where: {name: {_eq: "snapshot-update"}}, _set: {icon: "b"}) { affected_rows returning { name icon } } }
                """));
        }
        finally { await fx.ScalarAsync<int>("DELETE FROM categories WHERE name = 'snapshot-update'"); }
    }

    [Fact]
    public async Task Delete()
    {
        await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ('snapshot-delete') ON CONFLICT (name) DO NOTHING");
        Snapshot.Match(await RunAsync("""
            mutation { delete_categories(where: {name: {_eq: "snapshot-delete"}}) { affected_rows returning { name } } }
            """));
    }

    private Peregrine.Graph.Execution.Preparation.PreparedOperation Prepared(string query, System.Text.Json.Nodes.JsonObject? variables = null)
    {
        var request = new GraphQLRequest(query, null, variables, variables?.ToJsonString());
        var (prepared, refused) = fx.Factory.Services.GetRequiredService<GraphQLExecutor>().Prepare(request, Session.Admin);
        Assert.Null(refused);
        return prepared!;
    }

    [Fact]
    public void Live_query_multiplexed()
    {
        var analyzer = fx.Factory.Services.GetRequiredService<LiveQueryAnalyzer>();
        var roots = new[] { "8728f011dffffff", "8728f0b94ffffff" }
            .Select(h => analyzer.Analyze(Prepared(
                "subscription ($h: String!) { phenom_reports(where: {h3_index: {_eq: $h}}, order_by: {timestamp: desc}, limit: 5) { id categories { name } } }",
                new() { ["h"] = h })).Roots!)
            .ToList();
        var statement = MultiplexedQuery.Build(roots);
        Snapshot.Match(new JObject
        {
            ["sql"] = statement.Sql,
            ["columns"] = JArray.FromObject(statement.Columns),
        });
    }

    [Fact]
    public void Stream()
    {
        var services = fx.Factory.Services;
        var prepared = Prepared("""
            subscription { categories_stream(batch_size: 10, cursor: {initial_value: {name: "O"}, ordering: ASC}, where: {icon: {_is_null: false}}) { name icon } }
            """);
        var (stream, errors) = StreamSubscription.Create(services.GetRequiredService<SqlRunner>(), services.GetRequiredService<LiveQueryRegistry>(),
            prepared, new NoSubscriber());
        Assert.Empty(errors);
        var statement = stream!.Statement();
        Snapshot.Match(new JObject { ["sql"] = statement.Sql, ["parameters"] = JArray.FromObject(statement.Parameters) });
    }

    private sealed class NoSubscriber : ILiveQuerySubscriber
    {
        public void OnNext(string payload) { }
        public void OnError(IReadOnlyList<Errors.HasuraError> errors) { }
    }
}
