using System.Net;
using System.Text;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Limits;

/// <summary>
/// Each limit of issue 13 §1 at its edge (the default value passes, one more is refused with
/// <c>validation-failed</c> naming the setting and its value), the admin's own limits, the response size,
/// the default row limit, the validation time budget, and odd JSON.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class RequestLimitsTests(PeregrineFixture fx)
{
    private static string Typenames(int n) => "{ " + string.Concat(Enumerable.Repeat("__typename ", n)) + "}";
    private static string Aliases(int n) => "{ " + string.Concat(Enumerable.Range(0, n).Select(i => $"a{i}: __typename ")) + "}";
    // report -> user -> their reports -> ...: `levels` fields deep in all.
    private static string Deep(int levels) => "{ " + Chain(levels) + " }";

    private static string Chain(int levels) =>
        string.Concat(Enumerable.Range(0, levels - 1).Select(i => i % 2 == 0 ? "phenom_reports(limit: 1) { " : "user { "))
        + "id" + new string('}', levels - 1);

    [Fact]
    public async Task Fields_aliases_depth_and_batch_pass_at_their_default_and_fail_one_past_it()
    {
        await using var host = new LimitsHost(fx);
        Assert.Equal("query_root", (await host.PostAsync(LimitsHost.Body(Typenames(2000)))).Data()["__typename"]!.GetValue<string>());
        var over = await host.PostAsync(LimitsHost.Body(Typenames(2001)));
        Assert.Equal(("validation-failed", HttpStatusCode.OK), (over.Code, over.Status));
        Assert.Equal("the query selects 2001 fields once fragments are expanded, over the limit of 2000 (PEREGRINE_MAX_FIELDS=2000)", over.Message);

        Assert.Equal(200, (await host.PostAsync(LimitsHost.Body(Aliases(200)))).Data().AsObject().Count);
        over = await host.PostAsync(LimitsHost.Body(Aliases(201)));
        Assert.Equal("validation-failed", over.Code);
        Assert.Equal("the query has 201 aliases once fragments are expanded, over the limit of 200 (PEREGRINE_MAX_ALIASES=200)", over.Message);

        Assert.NotNull((await host.PostAsync(LimitsHost.Body(Deep(15)))).Data()["phenom_reports"]);
        over = await host.PostAsync(LimitsHost.Body(Deep(16)));
        Assert.Equal("validation-failed", over.Code);
        Assert.Equal("the query is nested 16 fields deep, over the limit of 15 (PEREGRINE_MAX_DEPTH=15)", over.Message);

        // Depth through fragments counts where the fragment is spread.
        var viaFragment = (int levels) => "query { phenom_reports(limit: 1) { user { ...U } } } fragment U on users { " + Chain(levels) + " }";
        Assert.NotNull((await host.PostAsync(LimitsHost.Body(viaFragment(13)))).Data()["phenom_reports"]);
        Assert.Equal("the query is nested 16 fields deep, over the limit of 15 (PEREGRINE_MAX_DEPTH=15)",
            (await host.PostAsync(LimitsHost.Body(viaFragment(14)))).Message);

        var batch = (int n) => "[" + string.Join(",", Enumerable.Repeat(LimitsHost.Body("{ categories(limit: 1) { name } }"), n)) + "]";
        var ok = await host.PostAsync(batch(20));
        Assert.Equal(20, ok.Json.AsArray().Count);
        Assert.All(ok.Json.AsArray(), r => Assert.Single(r!["data"]!["categories"]!.AsArray()));
        over = await host.PostAsync(batch(21));
        Assert.Equal("validation-failed", over.Code);
        Assert.Equal("the batch holds 21 operations, over the limit of 20 (PEREGRINE_MAX_BATCH=20)", over.Message);
    }

    [Fact]
    public async Task The_admin_has_the_same_limits_unless_its_own_settings_raise_them()
    {
        await using (var host = new LimitsHost(fx))
        {
            var refused = await host.PostAsync(LimitsHost.Body(Deep(16)), host.Admin());
            Assert.Equal("the query is nested 16 fields deep, over the limit of 15 (PEREGRINE_ADMIN_MAX_DEPTH=15)", refused.Message);
        }
        await using (var host = new LimitsHost(fx, ("PEREGRINE_ADMIN_MAX_DEPTH", "20"), ("PEREGRINE_ADMIN_MAX_FIELDS", "5000"), ("PEREGRINE_ADMIN_MAX_BATCH", "30")))
        {
            Assert.NotNull((await host.PostAsync(LimitsHost.Body(Deep(20)), host.Admin())).Data()["phenom_reports"]);
            Assert.NotNull((await host.PostAsync(LimitsHost.Body(Typenames(5000)), host.Admin())).Data()["__typename"]);
            Assert.Equal("validation-failed", (await host.PostAsync(LimitsHost.Body(Deep(16)))).Code); // anonymous keeps the default
            Assert.Equal("validation-failed", (await host.PostAsync(LimitsHost.Body(Deep(21)), host.Admin())).Code);
        }
    }

    [Fact]
    public async Task A_response_past_the_byte_limit_is_an_error_and_a_batch_keeps_the_answers_that_fit()
    {
        await using var host = new LimitsHost(fx, ("PEREGRINE_MAX_RESPONSE_BYTES", "3000"));
        var big = "{ phenom_reports(limit: 100, order_by: {id: asc}) { id description } }";
        var refused = await host.PostAsync(LimitsHost.Body(big));
        Assert.Equal("validation-failed", refused.Code);
        Assert.Equal("the response is larger than 3000 bytes (PEREGRINE_MAX_RESPONSE_BYTES=3000)", refused.Message);

        var batch = await host.PostAsync("[" + LimitsHost.Body("{ categories(limit: 2) { name } }") + "," + LimitsHost.Body(big) + "]");
        Assert.Equal(2, batch.Json[0]!["data"]!["categories"]!.AsArray().Count);
        Assert.Equal("validation-failed", batch.Json[1]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Roles_without_a_permission_limit_get_the_default_row_limit()
    {
        await using var host = new LimitsHost(fx, ("PEREGRINE_MAX_ROWS", "5"));
        var total = await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media");
        Assert.True(total > 5);
        using var user = host.Factory.CreateClient();
        user.DefaultRequestHeaders.Add("Authorization", "Bearer " + Auth.TestTokens.Sign(Auth.TestTokens.Payload(Auth.TestTokens.HasuraClaims("user", ["user"], null))));
        Assert.Equal(5, (await host.PostAsync(LimitsHost.Body("{ phenom_media { id } }"), user)).Data()["phenom_media"]!.AsArray().Count);
        Assert.Equal(5, (await host.PostAsync(LimitsHost.Body("{ phenom_media { id } }"))).Data()["phenom_media"]!.AsArray().Count);
        Assert.Equal(total, (await host.PostAsync(LimitsHost.Body("{ phenom_media { id } }"), host.Admin())).Data()["phenom_media"]!.AsArray().Count);
        // A permission's own limit stays (anonymous reads at most 1,000 reports; 5 is less, so 5 it is not).
        Assert.Equal(Math.Min(1000, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports")),
            (await host.PostAsync(LimitsHost.Body("{ phenom_reports { id } }"))).Data()["phenom_reports"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_validation_budget_stops_the_work_and_names_its_setting()
    {
        // 20,000 unused variables within every shape limit: GraphQL.NET reports each one: ~100 ms of work on a quiet machine, stopped at 10 ms.
        await using var host = new LimitsHost(fx, ("PEREGRINE_VALIDATION_TIMEOUT_MS", "10"));
        var (answer, slowestCheap) = await host.WhileServingOthersAsync(() => host.PostAsync(LimitsHost.Body(AbusiveDocuments.ManyVariables(250_000))));
        Assert.Equal("validation-failed", answer.Code);
        Assert.Equal("validating the query took longer than 10 ms (PEREGRINE_VALIDATION_TIMEOUT_MS=10)", answer.Message);
        Assert.InRange(answer.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
        Assert.InRange(slowestCheap, TimeSpan.Zero, LimitsHost.Prompt);
    }

    [Fact]
    public async Task Conflicting_fields_of_one_response_key_answer_one_error_quickly()
    {
        await using var host = new LimitsHost(fx);
        var counts = "{ phenom_reports_aggregate { aggregate { " + string.Concat(Enumerable.Range(0, 1990).Select(i => i % 2 == 0 ? "count(distinct: true) " : "count(distinct: false) ")) + "} } }";
        var answer = await host.PostAsync(LimitsHost.Body(counts));
        Assert.Equal("validation-failed", answer.Code);
        Assert.Equal("Fields 'count' conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional.", answer.Message);
        Assert.InRange(answer.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
        // The same arguments written differently are one field.
        var same = await host.PostAsync(LimitsHost.Body("{ categories(limit: 1) { n: name(  ) } categories(limit:1){ n: name } }".Replace("name(  )", "name")));
        Assert.Single(same.Data()["categories"]!.AsArray());
    }

    [Fact]
    public async Task Identical_repeated_selections_answer_like_one()
    {
        await using var host = new LimitsHost(fx);
        var repeated = await host.PostAsync(LimitsHost.Body("{ categories(limit: 2, order_by: {name: asc}) { name name id name } categories(limit: 2, order_by: {name: asc}) { name name id name } }"));
        var once = await host.PostAsync(LimitsHost.Body("{ categories(limit: 2, order_by: {name: asc}) { name id } }"));
        Assert.Equal(once.Data().ToJsonString(), repeated.Data().ToJsonString());
    }

    [Fact]
    public async Task A_duplicate_key_keeps_its_last_value_in_the_body_and_in_variables()
    {
        await using var host = new LimitsHost(fx);
        var body = await host.PostAsync("{\"query\": \"{ categories(limit: 1) { name } }\", \"query\": \"{ categories(limit: 2) { name } }\"}");
        Assert.Equal(2, body.Data()["categories"]!.AsArray().Count);
        var variables = await host.PostAsync("{\"query\": \"query($n: Int) { categories(limit: $n) { name } }\", \"variables\": {\"n\": 1, \"n\": 3}}");
        Assert.Equal(3, variables.Data()["categories"]!.AsArray().Count);
        var nested = await host.PostAsync("{\"query\": \"query($w: categories_bool_exp) { categories(where: $w) { name } }\", \"variables\": {\"w\": {\"name\": {\"_eq\": \"nope\"}, \"name\": {\"_is_null\": false}}}}");
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM categories"), nested.Data()["categories"]!.AsArray().Count);

        using var client = host.Anonymous();
        using var get = await client.GetAsync("/v1/graphql?query=" + Uri.EscapeDataString("query($n: Int) { categories(limit: $n) { name } }")
            + "&variables=" + Uri.EscapeDataString("{\"n\": 1, \"n\": 2}"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(await get.Content.ReadAsStringAsync())!.Data()["categories"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]                       // not UTF-8 at all
    [InlineData(new byte[] { 0xc3, 0x28 })]                       // a broken two-byte sequence
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]                 // an encoded surrogate
    public async Task Invalid_utf8_is_400_invalid_json(byte[] bad)
    {
        await using var host = new LimitsHost(fx);
        foreach (var (before, after) in new[] { ("{\"query\": \"{ categories { name } }\", \"x\": \"", "\"}"), ("{\"query\": \"{ categories(where: {name: {_eq: \\\"", "\\\"}}) { name } }\"}"), ("{\"query\": \"query($s: String) { categories(where: {name: {_eq: $s}}) { name } }\", \"variables\": {\"s\": \"", "\"}}") })
        {
            var bytes = Encoding.UTF8.GetBytes(before).Concat(bad).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
            using var client = host.Anonymous();
            using var response = await client.PostAsync("/v1/graphql", new ByteArrayContent(bytes) { Headers = { { "Content-Type", "application/json" } } });
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid-json", System.Text.Json.Nodes.JsonNode.Parse(text)!.ErrorCode());
        }
        (await host.PostAsync(LimitsHost.Body("{ categories(limit: 1) { name } }"))).Data();
    }
}
