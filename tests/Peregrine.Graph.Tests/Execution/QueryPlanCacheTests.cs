using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Execution.Plans;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// Warm requests run a cached plan with their own values: every answer is checked against SQL for the values
/// of that request, so a plan that kept an earlier request's value, or another user's, fails here.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class QueryPlanCacheTests(PeregrineFixture fx)
{
    private QueryPlanCache Cache => fx.Factory.Services.GetRequiredService<QueryPlanCache>();

    [Fact]
    public async Task One_plan_serves_every_id_with_that_ids_row()
    {
        const string query = "query PlanById($id: uuid!) { phenom_reports_by_pk(id: $id) { id description user { id } } }";
        var ids = (await fx.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY md5(id::text)) FROM (SELECT id FROM phenom_reports ORDER BY id LIMIT 6) s"))!.Split(',');
        var hitsBefore = Cache.Hits;
        foreach (var id in ids)
        {
            var row = (await fx.GraphQLAsync(query, new { id })).Data()["phenom_reports_by_pk"]!;
            Assert.Equal(id, row["id"]!.GetValue<string>());
            Assert.Equal(await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", id), row["description"]?.GetValue<string>());
            Assert.Equal(await fx.ScalarAsync<string>("SELECT user_id::text FROM phenom_reports WHERE id = $1::uuid", id), row["user"]?["id"]?.GetValue<string>());
        }
        // The first id compiled the plan; the other five ran it.
        Assert.Equal(ids.Length - 1, Cache.Hits - hitsBefore);
    }

    [Fact]
    public async Task Numbers_and_objects_key_the_plan_by_value()
    {
        const string query = "query PlanLimit($n: Int!, $order: [phenom_reports_order_by!]) { phenom_reports(limit: $n, order_by: $order) { id } }";
        foreach (var (n, direction) in new[] { (2, "asc"), (5, "desc"), (2, "desc"), (5, "asc") })
        {
            var got = (await fx.GraphQLAsync(query, new { n, order = new[] { new Dictionary<string, string> { ["id"] = direction } } }))
                .Data()["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
            var expected = (await fx.ScalarAsync<string>(
                $"SELECT string_agg(id::text, ',' ORDER BY id {direction}) FROM (SELECT id FROM phenom_reports ORDER BY id {direction} LIMIT {n}) s"))!.Split(',');
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public async Task A_string_that_shapes_the_sql_is_keyed_by_value()
    {
        // _h3_in_cell expands the cell into ranges in C#: a slot would keep the first cell's ranges.
        // h3-js says which reports descend from each of the three busiest resolution-7 cells.
        var cells = await H3Oracle.StoredCellsAsync(fx);
        var parents = H3Oracle.Run("return Object.fromEntries(Object.entries(input).map(([id, c]) => [id, h3.cellToParent(c, 7)]));",
            JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(cells))).AsObject();
        var busiest = parents.GroupBy(p => p.Value!.GetValue<string>()).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(3).ToList();
        const string query = "query PlanCell($cell: String!) { phenom_reports(where: {h3_index: {_h3_in_cell: $cell}}, order_by: {id: asc}) { id } }";
        foreach (var group in busiest.Concat(busiest))
        {
            var ids = (await fx.GraphQLAsync(query, new { cell = group.Key })).Data()["phenom_reports"]!.AsArray()
                .Select(r => r!["id"]!.GetValue<string>()).ToList();
            Assert.Equal(group.Select(p => p.Key).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Users_of_one_role_do_not_share_each_others_rows()
    {
        // A user sees their own email only: the permission filter carries X-Hasura-User-Id.
        var users = (await fx.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM (SELECT id FROM users ORDER BY id LIMIT 2) s"))!.Split(',');
        const string query = "query PlanEmails { users(order_by: {id: asc}, limit: 2) { id email } }";
        foreach (var user in users.Concat(users))
        {
            var rows = (await fx.GraphQLAsync(query, client: fx.ClientAs("user", user))).Data()["users"]!.AsArray();
            foreach (var row in rows)
            {
                var id = row!["id"]!.GetValue<string>();
                var expected = id == user ? await fx.ScalarAsync<string>("SELECT email FROM users WHERE id = $1::uuid", id) : null;
                Assert.Equal(expected, row["email"]?.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Bad_values_on_a_warm_plan_fail_as_they_do_cold()
    {
        const string query = "query PlanBad($id: uuid!) { phenom_reports_by_pk(id: $id) { id } }";
        var id = await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports ORDER BY id LIMIT 1");
        (await fx.GraphQLAsync(query, new { id })).Data();
        (await fx.GraphQLAsync(query, new { id })).Data();

        Assert.Equal("data-exception", (await fx.GraphQLAsync(query, new { id = "not-a-uuid" })).ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync(query, new { id = 5 })).ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync(query, new { })).ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync(query, new { id = (string?)null })).ErrorCode());
        Assert.Equal(id, (await fx.GraphQLAsync(query, new { id })).Data()["phenom_reports_by_pk"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Typename_and_aliases_come_back_in_order_from_a_warm_plan()
    {
        const string query = "query PlanShape($a: uuid!, $b: uuid!) { first: phenom_reports_by_pk(id: $a) { id } __typename second: phenom_reports_by_pk(id: $b) { id } }";
        var ids = (await fx.ScalarAsync<string>("SELECT string_agg(id::text, ',' ORDER BY id) FROM (SELECT id FROM phenom_reports ORDER BY id LIMIT 4) s"))!.Split(',');
        for (var i = 0; i < 3; i++)
        {
            var data = (await fx.GraphQLAsync(query, new { a = ids[i], b = ids[i + 1] })).Data();
            Assert.Equal(["first", "__typename", "second"], data.AsObject().Select(p => p.Key));
            Assert.Equal(ids[i], data["first"]!["id"]!.GetValue<string>());
            Assert.Equal("query_root", data["__typename"]!.GetValue<string>());
            Assert.Equal(ids[i + 1], data["second"]!["id"]!.GetValue<string>());
        }
    }
}
