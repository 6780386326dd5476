using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Permissions;

/// <summary>
/// The shipped permissions, exercised with real JWTs against the real database: each role's schema,
/// row filters, column sets, presets and checks, folded into the SQL (checked by reading the tables).
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class RolePermissionTests(PeregrineFixture fx)
{
    private HttpClient As(string role, string? userId = null) => fx.ClientAs(role, userId);

    /// <summary>The n-th user (by email) among those who have reports.</summary>
    private async Task<string> SomeUserAsync(int n = 0) =>
        (await fx.ScalarAsync<string>($"SELECT u.id::text FROM users u WHERE EXISTS (SELECT 1 FROM phenom_reports r WHERE r.user_id = u.id) ORDER BY u.email OFFSET {n} LIMIT 1"))!;

    private async Task<string> ReportOfAsync(string userId) =>
        (await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports WHERE user_id = $1::uuid ORDER BY id LIMIT 1", userId))!;

    [Fact]
    public async Task Each_role_sees_its_own_schema()
    {
        async Task<HashSet<string>> Fields(HttpClient c, string type) =>
            ((await fx.GraphQLAsync($"{{ __type(name: \"{type}\") {{ fields {{ name }} }} }}", client: c)).Data()["__type"]?["fields"]?.AsArray()
                .Select(f => f!["name"]!.GetValue<string>()).ToHashSet()) ?? [];

        var anon = As("anonymous");
        var anonUser = await Fields(anon, "users");
        Assert.Contains("profile", anonUser);
        Assert.DoesNotContain("email", anonUser);
        Assert.DoesNotContain("created_at", anonUser);
        Assert.DoesNotContain("user_favorites", await Fields(anon, "query_root"));
        Assert.Empty(await Fields(anon, "mutation_root"));

        var user = As("user", await SomeUserAsync());
        Assert.Contains("email", await Fields(user, "users"));
        var mutations = await Fields(user, "mutation_root");
        Assert.Contains("insert_phenom_reports_one", mutations);
        Assert.Contains("update_users_by_pk", mutations);
        Assert.DoesNotContain("insert_users", mutations);
        Assert.DoesNotContain("delete_categories", mutations);

        var denied = await fx.GraphQLAsync("{ users { email } }", client: anon);
        Assert.Equal("validation-failed", denied.ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("mutation { delete_phenom_reports(where: {}) { affected_rows } }", client: anon)).ErrorCode());
    }

    [Fact]
    public async Task A_user_sees_every_profile_but_only_its_own_email_and_favorites()
    {
        var me = await SomeUserAsync();
        var users = (await fx.GraphQLAsync("{ users(where: {_or: [{id: {_eq: \"" + me + "\"}}, {id: {_neq: \"" + me + "\"}}]}, order_by: {id: asc}, limit: 5) { id email profile } }", client: As("user", me))).Data()["users"]!.AsArray();
        Assert.Equal(5, users.Count);
        foreach (var u in users)
        {
            var id = u!["id"]!.GetValue<string>();
            Assert.NotNull(u["profile"]);
            if (id == me) Assert.Equal(await fx.ScalarAsync<string>("SELECT email FROM users WHERE id = $1::uuid", id), u["email"]!.GetValue<string>());
            else Assert.Null(u["email"]);
        }
        var own = (await fx.GraphQLAsync("query($id: uuid!) { users_by_pk(id: $id) { email } }", new { id = me }, As("user", me))).Data();
        Assert.Equal(await fx.ScalarAsync<string>("SELECT email FROM users WHERE id = $1::uuid", me), own["users_by_pk"]!["email"]!.GetValue<string>());

        // Another user's email can be neither filtered on nor sorted by: that would reveal it.
        var probe = await fx.GraphQLAsync("{ users(where: {email: {_eq: \"user1@example.com\"}}) { id } }", client: As("user", me));
        Assert.Equal("validation-failed", probe.ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ users(order_by: {email: asc}) { id } }", client: As("user", me))).ErrorCode());

        await fx.ScalarAsync<int>("INSERT INTO user_favorites (user_id, report_id) SELECT $1::uuid, id FROM phenom_reports ORDER BY id LIMIT 2 ON CONFLICT DO NOTHING", me);
        var favorites = (await fx.GraphQLAsync("{ user_favorites { user_id } }", client: As("user", me))).Data()["user_favorites"]!.AsArray();
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM user_favorites WHERE user_id = $1::uuid", me), favorites.Count);
        Assert.All(favorites, f => Assert.Equal(me, f!["user_id"]!.GetValue<string>()));
        Assert.NotEmpty(favorites);
    }

    [Fact]
    public async Task A_user_inserts_reports_as_itself_whatever_it_sends()
    {
        var me = await SomeUserAsync(1);
        var row = (await fx.GraphQLAsync("""
            mutation { insert_phenom_reports_one(object: {description: "mine", location: {type: "Point", coordinates: [10, 10]},
                media: {data: [{url: "m", type: "image"}]}, categories: {data: [{name: "Orb"}], on_conflict: {constraint: categories_name_key, update_columns: []}}}) { id user_id } }
            """, client: As("user", me))).Data()["insert_phenom_reports_one"]!;
        Assert.Equal(me, row["user_id"]!.GetValue<string>());
        var id = row["id"]!.GetValue<string>();
        Assert.Equal(me, await fx.ScalarAsync<string>("SELECT user_id::text FROM phenom_reports WHERE id = $1::uuid", id));
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media WHERE report_id = $1::uuid", id));

        // user_id is not in the user's insert columns: naming it fails validation.
        var other = await SomeUserAsync(2);
        var forged = await fx.GraphQLAsync($$$"""mutation { insert_phenom_reports_one(object: {user_id: "{{{other}}}", location: {type: "Point", coordinates: [1, 1]}}) { id } }""", client: As("user", me));
        Assert.Equal("validation-failed", forged.ErrorCode());
    }

    [Fact]
    public async Task Checks_refuse_media_on_someone_elses_report_and_leave_nothing_behind()
    {
        var me = await SomeUserAsync(3);
        var theirs = await ReportOfAsync(await SomeUserAsync(4));
        var before = await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media");
        var response = await fx.GraphQLAsync($$$"""mutation { insert_phenom_media_one(object: {report_id: "{{{theirs}}}", url: "sneaky", type: "image"}) { id } }""", client: As("user", me));
        Assert.Equal("permission-error", response.ErrorCode());
        Assert.Equal(before, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_media"));

        var mine = await ReportOfAsync(me);
        var ok = await fx.GraphQLAsync($$$"""mutation { insert_phenom_media_one(object: {report_id: "{{{mine}}}", url: "fine", type: "image"}) { url } }""", client: As("user", me));
        Assert.Equal("fine", ok.Data()["insert_phenom_media_one"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_updates_and_deletes_only_its_own_reports_a_moderator_any()
    {
        var me = await SomeUserAsync(5);
        var mine = await ReportOfAsync(me);
        var theirs = await ReportOfAsync(await SomeUserAsync(6));

        var update = await fx.GraphQLAsync($$$"""mutation { update_phenom_reports(where: {id: {_in: ["{{{mine}}}", "{{{theirs}}}"]}}, _set: {description: "edited"}) { affected_rows } }""", client: As("user", me));
        Assert.Equal(1, update.Data()["update_phenom_reports"]!["affected_rows"]!.GetValue<int>());
        Assert.Equal("edited", await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", mine));
        Assert.NotEqual("edited", await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", theirs));

        var delete = await fx.GraphQLAsync($$$"""mutation { delete_phenom_reports_by_pk(id: "{{{theirs}}}") { id } }""", client: As("user", me));
        Assert.Null(delete.Data()["delete_phenom_reports_by_pk"]);
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports WHERE id = $1::uuid", theirs));

        var moderated = await fx.GraphQLAsync($$$"""mutation { update_phenom_reports_by_pk(pk_columns: {id: "{{{theirs}}}"}, _set: {description: "moderated"}) { description } }""", client: As("moderator", me));
        Assert.Equal("moderated", moderated.Data()["update_phenom_reports_by_pk"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_updates_only_its_own_profile()
    {
        var me = await SomeUserAsync(7);
        var other = await SomeUserAsync(8);
        var mine = await fx.GraphQLAsync($$$"""mutation { update_users_by_pk(pk_columns: {id: "{{{me}}}"}, _set: {profile: {display_name: "Me"}}) { profile } }""", client: As("user", me));
        Assert.Equal("Me", mine.Data()["update_users_by_pk"]!["profile"]!["display_name"]!.GetValue<string>());
        var theirs = await fx.GraphQLAsync($$$"""mutation { update_users_by_pk(pk_columns: {id: "{{{other}}}"}, _set: {profile: {display_name: "Hacked"}}) { id } }""", client: As("user", me));
        Assert.Null(theirs.Data()["update_users_by_pk"]);
        Assert.NotEqual("Hacked", await fx.ScalarAsync<string>("SELECT profile->>'display_name' FROM users WHERE id = $1::uuid", other));
    }

    [Fact]
    public async Task Anonymous_reads_public_report_data_through_relationships()
    {
        var anon = As("anonymous");
        var data = (await fx.GraphQLAsync("{ phenom_reports(limit: 3, order_by: {timestamp: desc}) { id user { id profile } media { url } categories { name } } }", client: anon)).Data();
        Assert.Equal(3, data["phenom_reports"]!.AsArray().Count);
        var count = (await fx.GraphQLAsync("{ phenom_reports_aggregate { aggregate { count } } }", client: anon)).Data()["phenom_reports_aggregate"]!["aggregate"]!["count"]!.GetValue<long>();
        Assert.Equal(await fx.ScalarAsync<long>("SELECT count(*) FROM phenom_reports"), count);
        // The anonymous row limit caps a list.
        var all = (await fx.GraphQLAsync("{ phenom_reports { id } }", client: anon)).Data()["phenom_reports"]!.AsArray();
        Assert.Equal(Math.Min(1000, count), all.Count);
    }

    [Fact]
    public async Task An_unknown_or_huge_role_gets_an_empty_schema_not_a_500()
    {
        using var client = fx.AdminClient();
        client.DefaultRequestHeaders.Add("x-hasura-role", new string('r', 10_000));
        var response = await fx.GraphQLAsync("{ phenom_reports { id } }", client: client);
        Assert.Equal("validation-failed", response.ErrorCode());
        var typename = await fx.GraphQLAsync("{ __typename }", client: client);
        Assert.Equal("query_root", typename.Data()["__typename"]!.GetValue<string>());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ users { id } }", client: As("stranger", await SomeUserAsync()))).ErrorCode());
    }
}
