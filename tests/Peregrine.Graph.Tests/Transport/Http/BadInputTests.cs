using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Http;

/// <summary>Every kind of bad input gets a Hasura-style error (never a 500 or a stack trace) and the server keeps serving.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class BadInputTests(PeregrineFixture fx)
{
    private async Task<(HttpStatusCode Status, JsonNode Body, string Text)> PostRawAsync(string body, string? accept = null, HttpClient? via = null)
    {
        using var owned = via is null ? fx.AdminClient() : null;
        var client = via ?? owned!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (accept is not null) request.Headers.Add("Accept", accept);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("json", response.Content.Headers.ContentType?.MediaType);
        // Deeply nested answers (50 relationship levels) go past System.Text.Json's default depth of 64.
        return (response.StatusCode, JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 512 })!, text);
    }

    private static string Query(string query) => JsonSerializer.Serialize(new { query });

    /// <summary>Neither a .NET stack trace nor the SQL we sent may reach the client.</summary>
    private static void AssertNothingLeaks(string text)
    {
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("SELECT", text);
    }

    /// <summary><paramref name="levels"/> openings, the leaf, then one closing brace per level.</summary>
    private static string Nested(int levels, Func<int, string> open, string leaf) =>
        string.Concat(Enumerable.Range(0, levels).Select(open)) + leaf + new string('}', levels);

    private static string DeepWhere(string op, int levels) =>
        "{ phenom_reports_aggregate(where: " + Nested(levels, _ => "{" + op + ": ", "{description: {_is_null: false}}") + ") { aggregate { count } } }";

    // report -> user -> their reports -> user ...; the root report has a user, so every level is populated.
    private static string DeepSelection(int levels) =>
        "{ phenom_reports(limit: 1, where: {user_id: {_is_null: false}}) { "
        + Nested(levels, i => i % 2 == 0 ? "user { " : "phenom_reports(limit: 1) { ", "id") + " } }";

    /// <summary>A query document of about a megabyte: one field under ~100,000 aliases.</summary>
    private static readonly string MegabyteOfAliases =
        "{ categories(limit: 1) { " + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"a{i}: name ")) + "} }";

    private async Task StillServesAsync()
    {
        var data = (await fx.GraphQLAsync("{ categories(limit: 1) { name } }")).Data();
        Assert.Single(data["categories"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"query\": ", "invalid-json", HttpStatusCode.BadRequest)]
    [InlineData("not json at all", "invalid-json", HttpStatusCode.BadRequest)]
    [InlineData("{}", "parse-failed", HttpStatusCode.BadRequest)]
    [InlineData("{\"query\": 42}", "parse-failed", HttpStatusCode.BadRequest)]
    [InlineData("{\"query\": \"{ categories { name } }\", \"variables\": [1]}", "parse-failed", HttpStatusCode.BadRequest)]
    [InlineData("{\"query\": \"{ categories { \"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ categories { nope } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ no_such_table { id } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"query($n: Int!) { categories(limit: $n) { name } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"query($n: Int!) { categories(limit: $n) { name } }\", \"variables\": {\"n\": \"ten\"}}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ categories(limit: -1) { name } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ users_by_pk(id: \\\"not-a-uuid\\\") { id } }\"}", "data-exception", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {timestamp: {_gt: \\\"yesterday-ish\\\"}}) { id } }\"}", "data-exception", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"mutation { insert_phenom_reports_one(object: {location: {type: \\\"Point\\\", coordinates: [10, 91]}}) { id } }\"}", "data-exception", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"mutation { insert_phenom_reports_one(object: {location: {type: \\\"Point\\\", coordinates: [-180.5, 10]}}) { id } }\"}", "data-exception", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"mutation { insert_phenom_reports_one(object: {description: \\\"no location\\\"}) { id } }\"}", "constraint-violation", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"mutation { insert_phenom_media_one(object: {report_id: \\\"00000000-0000-0000-0000-000000000000\\\", url: \\\"u\\\", type: \\\"image\\\"}) { id } }\"}", "constraint-violation", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {id: {_ilike: \\\"%a%\\\"}}) { id } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {description: {_st_d_within: {distance: 1, from: {type: \\\"Point\\\", coordinates: [0, 0]}}}}) { id } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {description: {_has_key: \\\"a\\\"}}) { id } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {h3_resolution: {_gt: {a: 1}}}) { id } }\"}", "validation-failed", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {description: {_regex: \\\"(\\\"}}) { id } }\"}", "data-exception", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ phenom_reports(where: {description: {_iregex: \\\"[z-a]\\\"}}) { id } }\"}", "data-exception", HttpStatusCode.OK)]
    [InlineData("{\"query\": \"{ categories(offset: -1) { name } }\"}", "validation-failed", HttpStatusCode.OK)]
    public async Task Bad_input_gets_a_hasura_error(string body, string code, HttpStatusCode status)
    {
        var (actualStatus, json, text) = await PostRawAsync(body);
        Assert.Equal(code, json.ErrorCode());
        Assert.Equal(status, actualStatus);
        Assert.Null(json["data"]);
        AssertNothingLeaks(text);
        await StillServesAsync();
    }

    [Theory]
    [InlineData("_and", 50)]
    [InlineData("_not", 50)]
    [InlineData("_not", 51)]
    public async Task A_where_nested_50_levels_deep_answers(string op, int levels)
    {
        var (_, json, text) = await PostRawAsync(Query(DeepWhere(op, levels)));
        AssertNothingLeaks(text);
        var negated = op == "_not" && levels % 2 == 1;
        var expected = await fx.ScalarAsync<long>($"SELECT count(*) FROM phenom_reports WHERE description IS {(negated ? "" : "NOT ")}NULL");
        Assert.Equal(expected, json.Data()["phenom_reports_aggregate"]!["aggregate"]!["count"]!.GetValue<long>());
        await StillServesAsync();
    }

    [Fact]
    public async Task Relationships_nested_50_levels_deep_answer_when_the_admin_depth_limit_allows_it()
    {
        var (_, refused, _) = await PostRawAsync(Query(DeepSelection(50)));
        Assert.Equal("validation-failed", refused.ErrorCode());
        await using var host = fx.Factory.WithWebHostBuilder(b => b.UseSetting("PEREGRINE_ADMIN_MAX_DEPTH", "64"));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        var (_, json, text) = await PostRawAsync(Query(DeepSelection(50)), via: client);
        AssertNothingLeaks(text);
        var node = json.Data()["phenom_reports"]![0]!;
        for (var i = 0; i < 50; i++) node = (i % 2 == 0 ? node["user"] : node["phenom_reports"]![0])!;
        Assert.NotNull(node["id"]);
        await StillServesAsync();
    }

    [Theory]
    [InlineData("_and")]
    [InlineData("_not")]
    [InlineData("selection")]
    public async Task Nesting_past_the_parser_limit_is_validation_failed(string kind)
    {
        var (status, json, text) = await PostRawAsync(Query(kind == "selection" ? DeepSelection(200) : DeepWhere(kind, 200)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("validation-failed", json.ErrorCode());
        Assert.StartsWith("query nesting too deep", json["errors"]![0]!["message"]!.GetValue<string>());
        AssertNothingLeaks(text);
        await StillServesAsync();
    }

    [Fact]
    public async Task A_megabyte_query_over_the_size_limit_is_refused_quickly_with_413()
    {
        var clock = Stopwatch.StartNew();
        var (status, json, text) = await PostRawAsync(Query(MegabyteOfAliases)); // the fixture allows 64 KiB
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("bad-request", json.ErrorCode());
        AssertNothingLeaks(text);
        await StillServesAsync();
    }

    [Fact]
    public async Task Megabyte_queries_answer_within_seconds_when_the_admin_limits_allow_them()
    {
        // An empty setting leaves the default body limit (10 MiB), which lets a megabyte through; the admin's
        // document limits are raised to let these legitimate (if large) documents reach the database.
        await using var host = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_MAX_REQUEST_BYTES", "");
            b.UseSetting("PEREGRINE_ADMIN_MAX_DOCUMENT_BYTES", "4194304");
            b.UseSetting("PEREGRINE_ADMIN_MAX_FIELDS", "300000");
            b.UseSetting("PEREGRINE_ADMIN_MAX_ALIASES", "300000");
            b.UseSetting("PEREGRINE_ADMIN_VALIDATION_TIMEOUT_MS", "20000");
        });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        var name = (await fx.GraphQLAsync("{ categories(limit: 1) { name } }")).Data()["categories"]![0]!["name"]!.GetValue<string>();
        var megabyteOfRootFields = "{ " + string.Concat(Enumerable.Range(0, 35_000).Select(i => $"a{i}: categories(limit: 1) {{ name }} ")) + "}";
        var megabyteString = "{ categories(where: {name: {_eq: \"" + new string('x', 1 << 20) + "\"}}) { name } }";

        foreach (var (query, check) in new (string, Action<JsonNode>)[]
        {
            (MegabyteOfAliases, d =>
            {
                var row = d["categories"]![0]!.AsObject();
                Assert.Equal(100_000, row.Count);
                Assert.All(row, f => Assert.Equal(name, f.Value!.GetValue<string>()));
            }),
            (megabyteOfRootFields, d => Assert.Equal(35_000, d.AsObject().Count)),
            (megabyteString, d => Assert.Empty(d["categories"]!.AsArray())),
        })
        {
            Assert.True(query.Length > 1_000_000);
            var clock = Stopwatch.StartNew();
            var (status, json, text) = await PostRawAsync(Query(query), via: client);
            // Far past every default limit (100,000 aliases): linear, but GraphQL.NET's validation of it takes seconds on a loaded machine.
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(40));
            Assert.Equal(HttpStatusCode.OK, status);
            AssertNothingLeaks(text);
            check(json.Data());
        }
        await StillServesAsync();
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413()
    {
        var padding = new string(' ', 70_000);
        var (status, json, _) = await PostRawAsync("{\"query\": \"{ categories { name } }\"" + padding + "}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("bad-request", json.ErrorCode());
        await StillServesAsync();
    }

    [Fact]
    public async Task Spec_media_type_gets_the_spec_status_codes()
    {
        const string accept = "application/graphql-response+json";
        var (status, json, _) = await PostRawAsync("{\"query\": \"{ categories { nope } }\"}", accept);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation-failed", json.ErrorCode());

        (status, json, _) = await PostRawAsync("{\"query\": \"{ users_by_pk(id: \\\"x\\\") { id } }\"}", accept);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("data-exception", json.ErrorCode());
        Assert.True(json.AsObject().ContainsKey("data"));

        (status, _, _) = await PostRawAsync("{\"query\": \"{ categories(limit: 1) { name } }\"}", accept);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_failed_nested_insert_leaves_nothing_behind()
    {
        var before = await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports");
        var response = await fx.GraphQLAsync("""
            mutation { insert_phenom_reports_one(object: {
              description: "rolled back", location: {type: "Point", coordinates: [1, 2]},
              media: {data: [{url: "ok", type: "image"}, {url: "bad", type: null}]}
            }) { id } }
            """);
        Assert.Equal("constraint-violation", response.ErrorCode());
        Assert.Equal(before, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports"));
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE description = 'rolled back'"));
    }
}
