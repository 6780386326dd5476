using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// The node estimate behind <c>PEREGRINE_MAX_NODES</c>, checked against what the data really holds: PostgreSQL's
/// statistics (analysed) give the rows per category through the bridge, so the estimate of a nested list is close
/// to the count SQL gives, and the limit falls between the estimate and twice it.
/// </summary>
[Collection(HeavyDataCollection.Name)]
public sealed partial class QueryCostTests(HeavyDataFixture fx, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Nested = "{ categories { name phenom_reports { id } } }";

    [GeneratedRegex(@"estimated to return (\d+) nodes")]
    private static partial Regex Estimated();

    [Fact]
    public async Task The_node_estimate_of_a_nested_list_is_close_to_the_rows_sql_counts()
    {
        // Categories, plus each category's reports: every row of the bridge.
        var truth = await fx.ScalarAsync<long>("SELECT (SELECT count(*) FROM categories) + (SELECT count(*) FROM phenom_report_categories)");

        var refused = await GraphQLAsync(maxNodes: 1);
        Assert.Equal("validation-failed", refused.ErrorCode());
        var estimate = long.Parse(Estimated().Match(refused["errors"]![0]!["message"]!.GetValue<string>()).Groups[1].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"estimated {estimate} nodes, SQL counts {truth}");
        Assert.InRange(estimate, truth * 0.8, truth * 1.25);

        // Just under the estimate: refused; at twice the truth: answered, with exactly the rows SQL counts.
        Assert.Equal("validation-failed", (await GraphQLAsync(maxNodes: estimate - 1)).ErrorCode());
        var answered = (await GraphQLAsync(maxNodes: truth * 2)).Data()["categories"]!.AsArray();
        Assert.Equal(truth, answered.Count + answered.Sum(c => c!["phenom_reports"]!.AsArray().Count));
    }

    [Fact]
    public async Task Equality_filters_and_limits_narrow_the_estimate()
    {
        // One report by primary key, its categories, and each category's first 5 reports: a few dozen nodes at most.
        var id = await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports ORDER BY id LIMIT 1");
        var small = $$$"""{ phenom_reports(where: {id: {_eq: "{{{id}}}"}}) { categories { phenom_reports(limit: 5) { id } } } }""";
        Assert.NotNull((await GraphQLAsync(maxNodes: 50, query: small)).Data()["phenom_reports"]);
        // Without the filter the same shape is thousands of nodes.
        var all = "{ phenom_reports { categories { phenom_reports(limit: 5) { id } } } }";
        Assert.Equal("validation-failed", (await GraphQLAsync(maxNodes: 50, query: all)).ErrorCode());
    }

    private async Task<System.Text.Json.Nodes.JsonNode> GraphQLAsync(long maxNodes, string query = Nested)
    {
        await using var host = fx.Factory.WithWebHostBuilder(b => b.UseSetting("PEREGRINE_MAX_NODES", maxNodes.ToString(CultureInfo.InvariantCulture)));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Bearer " + Auth.TestTokens.Sign(Auth.TestTokens.Payload(Auth.TestTokens.HasuraClaims("user", ["user"], null))));
        return await fx.GraphQLAsync(query, client: client);
    }
}
