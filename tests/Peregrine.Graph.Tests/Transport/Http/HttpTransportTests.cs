using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Transport.Http;

[Collection(PeregrineCollection.Name)]
public sealed class HttpTransportTests(PeregrineFixture fx)
{
    [Fact]
    public async Task Get_runs_a_query_from_the_query_string()
    {
        using var client = fx.AdminClient();
        var url = "/v1/graphql?query=" + Uri.EscapeDataString("query($n: Int!) { categories(limit: $n, order_by: {name: asc}) { name } }")
            + "&variables=" + Uri.EscapeDataString("{\"n\": 2}");
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.Data()["categories"]!.AsArray();
        var expected = await fx.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY name) FROM (SELECT name FROM categories ORDER BY name LIMIT 2) x");
        Assert.Equal(expected, string.Join(',', names.Select(n => n!["name"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Get_refuses_a_mutation_with_405()
    {
        using var client = fx.AdminClient();
        var url = "/v1/graphql?query=" + Uri.EscapeDataString("mutation { insert_categories_one(object: {name: \"via-get\"}) { id } }");
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM categories WHERE name = 'via-get'"));
    }

    [Fact]
    public async Task A_batch_answers_each_request_in_order()
    {
        using var client = fx.AdminClient();
        const string body = """
            [{"query": "{ categories(limit: 1) { __typename } }"},
             {"query": "{ nope }"},
             {"query": "query Q($id: uuid!) { users_by_pk(id: $id) { id } }", "variables": {"id": "00000000-0000-0000-0000-000000000000"}}]
            """;
        using var response = await client.PostAsync("/v1/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(3, results.Count);
        Assert.Equal("categories", results[0]!.Data()["categories"]![0]!["__typename"]!.GetValue<string>());
        Assert.Equal("validation-failed", results[1]!.ErrorCode());
        Assert.Null(results[2]!.Data()["users_by_pk"]);
    }

    [Fact]
    public async Task Requests_without_the_admin_secret_are_refused()
    {
        using var client = fx.Factory.CreateClient();
        var response = await fx.GraphQLAsync("{ categories { name } }", client: client);
        Assert.Equal("access-denied", response.ErrorCode());

        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", "wrong");
        response = await fx.GraphQLAsync("{ categories { name } }", client: client);
        Assert.Equal("access-denied", response.ErrorCode());
    }

    [Fact]
    public async Task Aliases_fragments_directives_and_typename_shape_the_answer()
    {
        var data = (await fx.GraphQLAsync("""
            query($withIcon: Boolean!) {
              first: categories(order_by: {name: asc}, limit: 1) { ...C }
              last: categories(order_by: {name: desc}, limit: 1) { name icon @include(if: $withIcon) __typename }
              __typename
            }
            fragment C on categories { n: name ... on categories { description } icon @skip(if: true) }
            """, new { withIcon = false })).Data();
        Assert.Equal("query_root", data["__typename"]!.GetValue<string>());
        var first = data["first"]![0]!.AsObject();
        Assert.Equal(["n", "description"], first.Select(p => p.Key));
        Assert.Equal(await fx.ScalarAsync<string>("SELECT min(name) FROM categories"), first["n"]!.GetValue<string>());
        var last = data["last"]![0]!.AsObject();
        Assert.Equal(["name", "__typename"], last.Select(p => p.Key));
        Assert.Equal(await fx.ScalarAsync<string>("SELECT max(name) FROM categories"), last["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Introspection_answers_graphiql_style_queries()
    {
        var data = (await fx.GraphQLAsync("""
            { __schema { queryType { name } mutationType { name } subscriptionType { name } }
              t: __type(name: "phenom_reports") { fields { name } } }
            """)).Data();
        Assert.Equal("query_root", data["__schema"]!["queryType"]!["name"]!.GetValue<string>());
        Assert.Equal("mutation_root", data["__schema"]!["mutationType"]!["name"]!.GetValue<string>());
        Assert.Equal("subscription_root", data["__schema"]!["subscriptionType"]!["name"]!.GetValue<string>());
        var fields = data["t"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("categories", fields);
        Assert.Contains("media", fields);
        Assert.DoesNotContain("password_hash", (await fx.GraphQLAsync("{ __type(name: \"users\") { fields { name } } }"))
            .Data()["__type"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Introspection_and_database_fields_mix_in_one_operation()
    {
        var data = (await fx.GraphQLAsync("{ categories(limit: 1) { name } __type(name: \"uuid\") { kind } }")).Data();
        Assert.Equal("SCALAR", data["__type"]!["kind"]!.GetValue<string>());
        Assert.Single(data["categories"]!.AsArray());
    }
}
