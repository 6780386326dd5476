using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sql;

/// <summary>insert / update / delete root fields, checked in the database after each.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class MutationTests(PeregrineFixture fx)
{
    private async Task<string> NewReportAsync(string description, string coordinates = "{\"lat\": 1}")
    {
        var data = (await fx.GraphQLAsync("""
            mutation($d: String!, $c: jsonb) { insert_phenom_reports_one(object: {description: $d, coordinates: $c, location: {type: "Point", coordinates: [5, 6]}, h3_resolution: 3}) { id } }
            """, new { d = description, c = System.Text.Json.JsonDocument.Parse(coordinates).RootElement })).Data();
        return data["insert_phenom_reports_one"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Update_by_pk_sets_increments_and_edits_jsonb()
    {
        var id = await NewReportAsync("before", "{\"lat\": 1, \"tags\": [\"a\", \"b\", \"c\"], \"drop\": true, \"deep\": {\"x\": 1, \"y\": 2}}");
        var row = (await fx.GraphQLAsync("""
            mutation($id: uuid!) { update_phenom_reports_by_pk(pk_columns: {id: $id},
                _set: {description: "after"}, _inc: {h3_resolution: 2},
                _append: {coordinates: {added: 1}}, _delete_key: {coordinates: "drop"}) { id description h3_resolution coordinates } }
            """, new { id })).Data()["update_phenom_reports_by_pk"]!;
        Assert.Equal("after", row["description"]!.GetValue<string>());
        Assert.Equal(5, row["h3_resolution"]!.GetValue<int>());
        Assert.Equal("after", await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", id));
        Assert.True(await fx.ScalarAsync<bool>("SELECT coordinates = '{\"lat\": 1, \"tags\": [\"a\", \"b\", \"c\"], \"deep\": {\"x\": 1, \"y\": 2}, \"added\": 1}'::jsonb FROM phenom_reports WHERE id = $1::uuid", id));

        await fx.GraphQLAsync("""
            mutation($id: uuid!) { update_phenom_reports_by_pk(pk_columns: {id: $id}, _delete_at_path: {coordinates: ["deep", "x"]}, _prepend: {coordinates: {first: 0}}) { id } }
            """, new { id });
        Assert.True(await fx.ScalarAsync<bool>("SELECT coordinates = '{\"first\": 0, \"lat\": 1, \"tags\": [\"a\", \"b\", \"c\"], \"deep\": {\"y\": 2}, \"added\": 1}'::jsonb FROM phenom_reports WHERE id = $1::uuid", id));

        var missing = (await fx.GraphQLAsync("""
            mutation { update_phenom_reports_by_pk(pk_columns: {id: "00000000-0000-0000-0000-000000000000"}, _set: {description: "x"}) { id } }
            """)).Data();
        Assert.Null(missing["update_phenom_reports_by_pk"]);
    }

    [Fact]
    public async Task Update_where_reports_affected_rows_and_returning_with_relationships()
    {
        var a = await NewReportAsync("bulk-update-target");
        var b = await NewReportAsync("bulk-update-target");
        var result = (await fx.GraphQLAsync("""
            mutation { update_phenom_reports(where: {description: {_eq: "bulk-update-target"}}, _set: {h3_index: "8928308280fffff"}) {
                affected_rows returning { id h3_index media_aggregate { aggregate { count } } } } }
            """)).Data()["update_phenom_reports"]!;
        Assert.Equal(2, result["affected_rows"]!.GetValue<int>());
        Assert.Equal(new[] { a, b }.Order(), result["returning"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order());
        Assert.Equal(2L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE h3_index = '8928308280fffff' AND description = 'bulk-update-target'"));

        var noOps = await fx.GraphQLAsync("mutation { update_phenom_reports(where: {}) { affected_rows } }");
        Assert.Equal("validation-failed", noOps.ErrorCode());
    }

    [Fact]
    public async Task Update_many_runs_each_update_in_order()
    {
        await NewReportAsync("many-1");
        var result = (await fx.GraphQLAsync("""
            mutation { update_phenom_reports_many(updates: [
                {where: {description: {_eq: "many-1"}}, _set: {description: "many-2"}},
                {where: {description: {_eq: "many-2"}}, _set: {description: "many-3"}}]) { affected_rows } }
            """)).Data()["update_phenom_reports_many"]!.AsArray();
        Assert.Equal(new[] { 1, 1 }, result.Select(r => r!["affected_rows"]!.GetValue<int>()));
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE description = 'many-3'"));
    }

    [Fact]
    public async Task Delete_where_and_by_pk_remove_rows_and_answer_with_them()
    {
        var id = await NewReportAsync("to-delete");
        await fx.GraphQLAsync("mutation($id: uuid!) { insert_phenom_media_one(object: {report_id: $id, url: \"gone\", type: \"image\"}) { id } }", new { id });
        var result = (await fx.GraphQLAsync("""
            mutation { delete_phenom_reports(where: {description: {_eq: "to-delete"}}) { affected_rows returning { id media { url } } } }
            """)).Data()["delete_phenom_reports"]!;
        Assert.Equal(1, result["affected_rows"]!.GetValue<int>());
        Assert.Equal("gone", result["returning"]![0]!["media"]![0]!["url"]!.GetValue<string>());
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE id = $1::uuid", id));
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media WHERE url = 'gone'"));

        var other = await NewReportAsync("to-delete-by-pk");
        var row = (await fx.GraphQLAsync("mutation($id: uuid!) { delete_phenom_reports_by_pk(id: $id) { description } }", new { id = other })).Data();
        Assert.Equal("to-delete-by-pk", row["delete_phenom_reports_by_pk"]!["description"]!.GetValue<string>());
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE id = $1::uuid", other));
    }

    [Fact]
    public async Task Insert_many_with_on_conflict_counts_every_written_row()
    {
        var result = (await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "Upsert A", icon: "a1"}, {name: "Upsert B", icon: "b1"}],
                on_conflict: {constraint: categories_name_key, update_columns: [icon]}) { affected_rows returning { name icon } } }
            """)).Data()["insert_categories"]!;
        Assert.Equal(2, result["affected_rows"]!.GetValue<int>());

        result = (await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "Upsert A", icon: "a2"}, {name: "Upsert C"}],
                on_conflict: {constraint: categories_name_key, update_columns: [icon], where: {icon: {_neq: "a1"}}}) { affected_rows } }
            """)).Data()["insert_categories"]!;
        // "Upsert A" conflicts but its icon is a1, so the where stops the update: only C is written.
        Assert.Equal(1, result["affected_rows"]!.GetValue<int>());
        Assert.Equal("a1", await fx.ScalarAsync<string>("SELECT icon FROM categories WHERE name = 'Upsert A'"));

        result = (await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "Upsert B", icon: "b2"}], on_conflict: {constraint: categories_name_key, update_columns: [icon]}) { affected_rows } }
            """)).Data()["insert_categories"]!;
        Assert.Equal(1, result["affected_rows"]!.GetValue<int>());
        Assert.Equal("b2", await fx.ScalarAsync<string>("SELECT icon FROM categories WHERE name = 'Upsert B'"));
    }

    [Fact]
    public async Task Nested_insert_links_existing_categories_and_counts_nested_rows()
    {
        var result = (await fx.GraphQLAsync("""
            mutation { insert_phenom_reports(objects: [
              {description: "nested-1", location: {type: "Point", coordinates: [1, 1]},
               user: {data: {email: "nested-user@example.com", profile: {display_name: "N"}}},
               media: {data: [{url: "n1", type: "image"}, {url: "n2", type: "video"}]},
               categories: {data: [{name: "Orb"}, {name: "Nested new"}], on_conflict: {constraint: categories_name_key, update_columns: []}}},
              {description: "nested-2", location: {type: "Point", coordinates: [2, 2]}}
            ]) { affected_rows returning { description user { email } media(order_by: {url: asc}) { url } categories(order_by: {name: asc}) { name } } } }
            """)).Data()["insert_phenom_reports"]!;
        // 2 reports + 1 user + 2 media + 1 new category + 2 bridge rows.
        Assert.Equal(8, result["affected_rows"]!.GetValue<int>());
        var first = result["returning"]![0]!;
        Assert.Equal("nested-user@example.com", first["user"]!["email"]!.GetValue<string>());
        Assert.Equal(new[] { "n1", "n2" }, first["media"]!.AsArray().Select(m => m!["url"]!.GetValue<string>()));
        Assert.Equal(new[] { "Nested new", "Orb" }, first["categories"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal("nested-2", result["returning"]![1]!["description"]!.GetValue<string>());
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM categories WHERE name = 'Orb'"));
        Assert.Equal(2L, await fx.ScalarAsync<long>("""
            SELECT count(*) FROM phenom_report_categories b JOIN phenom_reports r ON r.id = b.report_id WHERE r.description = 'nested-1'
            """));
    }
}
