using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sql;

/// <summary>
/// Hasura's upsert semantics for a row the <c>on_conflict</c> clause leaves as is (<c>update_columns: []</c>,
/// or a <c>where</c> that excludes the conflicting row): the row is unchanged, <c>affected_rows</c> does not
/// count it, <c>returning</c> does not show it, and <c>insert_&lt;t&gt;_one</c> answers null. Every answer is
/// checked against the table itself.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class OnConflictIgnoredRowTests(PeregrineFixture fx)
{
    private Task<string?> CategoryRowAsync(string name) =>
        fx.ScalarAsync<string>("SELECT id::text || '|' || coalesce(icon, '') || '|' || coalesce(description, '') FROM categories WHERE name = $1", name);

    [Fact]
    public async Task Insert_one_answers_null_for_an_ignored_row_and_the_row_is_the_updated_one_when_the_update_runs()
    {
        var before = await CategoryRowAsync("Lights");
        Assert.NotNull(before);

        var nothing = (await fx.GraphQLAsync("""
            mutation { insert_categories_one(object: {name: "Lights", icon: "ignored"},
                on_conflict: {constraint: categories_name_key, update_columns: []}) { id name icon } }
            """)).Data();
        Assert.True(nothing.AsObject().ContainsKey("insert_categories_one"));
        Assert.Null(nothing["insert_categories_one"]);
        Assert.Equal(before, await CategoryRowAsync("Lights"));

        // DO UPDATE whose where excludes the conflicting row: also left as is, also null.
        var excluded = (await fx.GraphQLAsync("""
            mutation { insert_categories_one(object: {name: "Lights", icon: "excluded"},
                on_conflict: {constraint: categories_name_key, update_columns: [icon], where: {icon: {_eq: "no such icon"}}}) { id icon } }
            """)).Data();
        Assert.True(excluded.AsObject().ContainsKey("insert_categories_one"));
        Assert.Null(excluded["insert_categories_one"]);
        Assert.Equal(before, await CategoryRowAsync("Lights"));

        // Not vacuous: when the where holds, the row is updated and answered, as it is in the table.
        var icon = before!.Split('|')[1];
        var updated = (await fx.GraphQLAsync("""
            mutation($icon: String!) { insert_categories_one(object: {name: "Lights", icon: "updated"},
                on_conflict: {constraint: categories_name_key, update_columns: [icon], where: {icon: {_eq: $icon}}}) { id icon } }
            """, new { icon })).Data()["insert_categories_one"]!;
        Assert.Equal("updated", updated["icon"]!.GetValue<string>());
        Assert.Equal(before.Split('|')[0], updated["id"]!.GetValue<string>());
        Assert.Equal("updated", await fx.ScalarAsync<string>("SELECT icon FROM categories WHERE name = 'Lights'"));
        await fx.ScalarAsync<int>("UPDATE categories SET icon = $1 WHERE name = 'Lights' RETURNING 1", icon);
    }

    [Fact]
    public async Task A_batch_answers_only_the_new_rows_in_affected_rows_and_returning()
    {
        var disc = await CategoryRowAsync("Disc");
        var sound = await CategoryRowAsync("Sound");
        var result = (await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [
                {name: "Disc", icon: "x"}, {name: "Ignore-batch new A", icon: "a"}, {name: "Sound", icon: "x"}, {name: "Ignore-batch new B", icon: "b"}],
                on_conflict: {constraint: categories_name_key, update_columns: []}) { affected_rows returning { id name icon } } }
            """)).Data()["insert_categories"]!;
        Assert.Equal(2, result["affected_rows"]!.GetValue<int>());
        var returned = result["returning"]!.AsArray();
        Assert.Equal(["Ignore-batch new A", "Ignore-batch new B"], returned.Select(r => r!["name"]!.GetValue<string>()));
        // The returned ids are the rows now in the table; the conflicting ones are untouched.
        foreach (var row in returned)
            Assert.Equal(row!["id"]!.GetValue<string>(), await fx.ScalarAsync<string>("SELECT id::text FROM categories WHERE name = $1", row["name"]!.GetValue<string>()));
        Assert.Equal(disc, await CategoryRowAsync("Disc"));
        Assert.Equal(sound, await CategoryRowAsync("Sound"));

        // A where that excludes the conflicting row, next to a new one.
        var mixed = (await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "Disc", icon: "x"}, {name: "Ignore-batch new C", icon: "c"}],
                on_conflict: {constraint: categories_name_key, update_columns: [icon], where: {name: {_eq: "nothing matches"}}}) { affected_rows returning { name } } }
            """)).Data()["insert_categories"]!;
        Assert.Equal(1, mixed["affected_rows"]!.GetValue<int>());
        Assert.Equal(["Ignore-batch new C"], mixed["returning"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(disc, await CategoryRowAsync("Disc"));

        // All ignored: nothing counted, nothing returned, nothing written.
        var count = await fx.ScalarAsync<long>("SELECT count(*) FROM categories");
        var none = (await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "Disc"}, {name: "Sound"}],
                on_conflict: {constraint: categories_name_key, update_columns: []}) { affected_rows returning { name } } }
            """)).Data()["insert_categories"]!;
        Assert.Equal(0, none["affected_rows"]!.GetValue<int>());
        Assert.Empty(none["returning"]!.AsArray());
        Assert.Equal(count, await fx.ScalarAsync<long>("SELECT count(*) FROM categories"));
    }

    [Fact]
    public async Task A_nested_object_relationship_row_that_conflicts_is_linked_but_not_counted()
    {
        var orb = await CategoryRowAsync("Orb");
        var report = await fx.ScalarAsync<string>("""
            SELECT r.id::text FROM phenom_reports r
            WHERE NOT EXISTS (SELECT 1 FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = r.id AND c.name = 'Orb')
            ORDER BY r.id LIMIT 1
            """);
        var result = (await fx.GraphQLAsync("""
            mutation($r: uuid!) { insert_phenom_report_categories(objects: [{report_id: $r,
                category: {data: {name: "Orb", icon: "ignored"}, on_conflict: {constraint: categories_name_key, update_columns: []}}}]) {
                affected_rows returning { report_id category { id name icon } } } }
            """, new { r = report })).Data()["insert_phenom_report_categories"]!;
        // The bridge row only: the category was left as is.
        Assert.Equal(1, result["affected_rows"]!.GetValue<int>());
        var category = result["returning"]![0]!["category"]!;
        Assert.Equal(orb!.Split('|')[0], category["id"]!.GetValue<string>());
        Assert.Equal(orb.Split('|')[1], category["icon"]!.GetValue<string>());
        Assert.Equal(orb, await CategoryRowAsync("Orb"));
        Assert.Equal(1L, await fx.ScalarAsync<long>("""
            SELECT count(*) FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = $1::uuid AND c.name = 'Orb'
            """, report!));

        // The same when a where excludes the conflicting row from the update.
        var other = await fx.ScalarAsync<string>("""
            SELECT r.id::text FROM phenom_reports r
            WHERE NOT EXISTS (SELECT 1 FROM phenom_report_categories b JOIN categories c ON c.id = b.category_id WHERE b.report_id = r.id AND c.name = 'Orb')
            ORDER BY r.id DESC LIMIT 1
            """);
        var excluded = (await fx.GraphQLAsync("""
            mutation($r: uuid!) { insert_phenom_report_categories_one(object: {report_id: $r,
                category: {data: {name: "Orb", icon: "excluded"}, on_conflict: {constraint: categories_name_key, update_columns: [icon], where: {name: {_eq: "no such name"}}}}}) {
                category { id icon } } }
            """, new { r = other })).Data()["insert_phenom_report_categories_one"]!;
        Assert.Equal(orb.Split('|')[0], excluded["category"]!["id"]!.GetValue<string>());
        Assert.Equal(orb, await CategoryRowAsync("Orb"));

        // An existing user named in a new report: the report links to it; only the report is counted.
        var user = await fx.ScalarAsync<string>("SELECT id::text FROM users WHERE email = 'user7@example.com'");
        var reports = (await fx.GraphQLAsync("""
            mutation { insert_phenom_reports(objects: [{description: "ignored-user-report", location: {type: "Point", coordinates: [7, 7]},
                user: {data: {email: "user7@example.com"}, on_conflict: {constraint: users_email_key, update_columns: []}}}]) {
                affected_rows returning { id user { id email } } } }
            """)).Data()["insert_phenom_reports"]!;
        Assert.Equal(1, reports["affected_rows"]!.GetValue<int>());
        var written = reports["returning"]![0]!;
        Assert.Equal(user, written["user"]!["id"]!.GetValue<string>());
        Assert.Equal(user, await fx.ScalarAsync<string>("SELECT user_id::text FROM phenom_reports WHERE id = $1::uuid", written["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_nested_array_relationship_row_that_conflicts_is_left_with_its_owner_and_not_returned()
    {
        var existing = await fx.ScalarAsync<string>("SELECT id::text || '|' || report_id::text || '|' || url FROM phenom_media ORDER BY id LIMIT 1");
        var mediaId = existing!.Split('|')[0];
        var result = (await fx.GraphQLAsync("""
            mutation($m: uuid!) { insert_phenom_reports(objects: [{description: "ignored-media-report", location: {type: "Point", coordinates: [8, 8]},
                media: {data: [{id: $m, url: "stolen", type: "image"}, {url: "fresh", type: "image"}],
                        on_conflict: {constraint: phenom_media_pkey, update_columns: []}}}]) {
                affected_rows returning { id media { id url } } } }
            """, new { m = mediaId })).Data()["insert_phenom_reports"]!;
        // The report and the fresh media row; the conflicting media row stays with its own report.
        Assert.Equal(2, result["affected_rows"]!.GetValue<int>());
        var report = result["returning"]![0]!;
        Assert.Equal(["fresh"], report["media"]!.AsArray().Select(m => m!["url"]!.GetValue<string>()));
        Assert.Equal(existing, await fx.ScalarAsync<string>("SELECT id::text || '|' || report_id::text || '|' || url FROM phenom_media WHERE id = $1::uuid", mediaId));
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media WHERE report_id = $1::uuid", report["id"]!.GetValue<string>()));
    }
}
