using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Http;

/// <summary>Every kind of bad input gets a Hasura-style error (never a 500 or a stack trace) and the server keeps serving.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class BadInputTests(PeregrineFixture fx)
{
    private async Task<(HttpStatusCode Status, JsonNode Body, string Text)> PostRawAsync(string body, string? accept = null)
    {
        using var client = fx.AdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (accept is not null) request.Headers.Add("Accept", accept);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!, text);
    }

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
    public async Task Bad_input_gets_a_hasura_error(string body, string code, HttpStatusCode status)
    {
        var (actualStatus, json, text) = await PostRawAsync(body);
        Assert.Equal(code, json.ErrorCode());
        Assert.Equal(status, actualStatus);
        Assert.Null(json["data"]);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("SELECT", text);
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
