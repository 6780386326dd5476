using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Events;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.WebSockets;

namespace Peregrine.Graph.Tests.Permissions;

/// <summary>
/// The leaks issue 12 reproduced, each as an attacker sends it: hidden columns named in a stream cursor
/// or distinct_on, and relationships whose filters, aggregates and orderings looked past the related
/// table's row filter. Each answer is compared with what SQL says the role may see.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class ArgumentLeakTests(PeregrineFixture fx)
{
    /// <summary>Two users with reports: the attacker and the victim, distinct for each test.</summary>
    private async Task<(string A, string B)> UsersAsync(string salt)
    {
        var ids = (await fx.ScalarAsync<string>($"""
            SELECT string_agg(id::text, ',') FROM (SELECT id FROM users ORDER BY md5(id::text || '{salt}') LIMIT 2) x
            """))!.Split(',');
        return (ids[0], ids[1]);
    }

    /// <summary>A fresh report only this test knows (by its description).</summary>
    private async Task<string> ReportAsync(string tag) =>
        (await fx.ScalarAsync<Guid>("""
            INSERT INTO phenom_reports (location, "timestamp", description)
            VALUES (ST_GeogFromText('POINT(4 4)'), now(), $1) RETURNING id
            """, tag)).ToString();

    private async Task FavoriteAsync(string user, string report) =>
        await fx.ScalarAsync<int>("INSERT INTO user_favorites (user_id, report_id) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING", user, report);

    private async Task<WsClient> SubscribeAsync(string role, string? userId, string query, object variables)
    {
        await fx.Factory.Services.GetRequiredService<PostgresChangeListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var ws = await WsClient.ConnectAsync(fx, "graphql-transport-ws");
        var token = Auth.TestTokens.Sign(Auth.TestTokens.Payload(Auth.TestTokens.HasuraClaims(role, [role], userId)));
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token } } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query, variables } });
        return ws;
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("user")]
    public async Task A_stream_cursor_cannot_be_ordered_by_a_hidden_email(string role)
    {
        var (a, b) = await UsersAsync("cursor" + role);
        var email = (await fx.ScalarAsync<string>("SELECT email FROM users WHERE id = $1::uuid", b))!;
        // The oracle: with the cursor past B's email, the row came back exactly when email < $e.
        await using var ws = await SubscribeAsync(role, a, """
            subscription($id: uuid!, $e: String!) {
              users_stream(batch_size: 1, cursor: {initial_value: {email: $e}, ordering: DESC}, where: {id: {_eq: $id}}) { id }
            }
            """, new { id = b, e = email + "~" });
        var message = (await ws.ReceiveAsync())!;
        Assert.True((string?)message["type"] == "error", message.ToJsonString());
        Assert.Contains("email", message.ToJsonString());

        // Nor is the column in the role's schema at all, nor are the other columns it sees on its own row only.
        using var client = fx.ClientAs(role, a);
        var fields = (await fx.GraphQLAsync("{ __type(name: \"users_stream_cursor_value_input\") { inputFields { name } } }", client: client))
            .Data()["__type"]!["inputFields"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        Assert.Contains("id", fields);
        Assert.DoesNotContain("email", fields);
        Assert.DoesNotContain("created_at", fields);
        Assert.DoesNotContain("updated_at", fields);
    }

    [Fact]
    public async Task A_visible_stream_cursor_still_streams_for_a_role()
    {
        var (a, b) = await UsersAsync("cursor-visible");
        await using var ws = await SubscribeAsync("anonymous", null, """
            subscription($id: uuid!) {
              users_stream(batch_size: 1, cursor: {initial_value: {id: "00000000-0000-0000-0000-000000000000"}}, where: {id: {_eq: $id}}) { id }
            }
            """, new { id = b });
        var message = (await ws.ReceiveAsync())!;
        Assert.True((string?)message["type"] == "next", message.ToJsonString());
        Assert.Equal(b, (string?)message["payload"]!["data"]!["users_stream"]![0]!["id"]);
        _ = a;
    }

    [Fact]
    public async Task A_relationship_filter_does_not_find_rows_through_someone_elses_private_favorites()
    {
        var (a, b) = await UsersAsync("relfilter");
        var r = await ReportAsync("leak-rel-" + Guid.NewGuid().ToString("N")[..8]);
        await FavoriteAsync(b, r);
        using var asA = fx.ClientAs("user", a);

        var found = (await fx.GraphQLAsync("query($b: uuid!, $r: uuid!) { users(where: {id: {_eq: $b}, favorites: {report_id: {_eq: $r}}}) { id } }",
            new { b, r }, asA)).Data()["users"]!.AsArray();
        // SQL truth for A: B's favourites are not A's to see, so no favourite of B matches.
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM user_favorites WHERE user_id = $1::uuid AND user_id = $2::uuid AND report_id = $3::uuid", b, a, r));
        Assert.Empty(found);

        // The same filter on A's own favourite still finds A.
        await FavoriteAsync(a, r);
        var own = (await fx.GraphQLAsync("query($a: uuid!, $r: uuid!) { users(where: {id: {_eq: $a}, favorites: {report_id: {_eq: $r}}}) { id } }",
            new { a, r }, asA)).Data()["users"]!.AsArray();
        Assert.Single(own);
    }

    [Fact]
    public async Task An_aggregate_predicate_counts_only_the_related_rows_the_role_may_see()
    {
        var (a, b) = await UsersAsync("aggfilter");
        var r = await ReportAsync("leak-agg-" + Guid.NewGuid().ToString("N")[..8]);
        await FavoriteAsync(b, r);
        using var asA = fx.ClientAs("user", a);

        var hasFavorites = (await fx.GraphQLAsync("query($b: uuid!) { users(where: {id: {_eq: $b}, favorites_aggregate: {count: {predicate: {_gt: 0}}}}) { id } }",
            new { b }, asA)).Data()["users"]!.AsArray();
        Assert.Empty(hasFavorites);

        // The same predicate through phenom_reports: the report's favourites by others count zero for A.
        var reports = (await fx.GraphQLAsync("query($r: uuid!) { phenom_reports(where: {id: {_eq: $r}, favorited_by_aggregate: {count: {predicate: {_gt: 0}}}}) { id } }",
            new { r }, asA)).Data()["phenom_reports"]!.AsArray();
        Assert.Empty(reports);
        var admin = (await fx.GraphQLAsync("query($r: uuid!) { phenom_reports(where: {id: {_eq: $r}, favorited_by_aggregate: {count: {predicate: {_gt: 0}}}}) { id } }",
            new { r })).Data()["phenom_reports"]!.AsArray();
        Assert.Single(admin); // not vacuous: the favourite is there
    }

    [Fact]
    public async Task Ordering_by_a_relationship_aggregate_uses_the_counts_the_role_sees()
    {
        var (a, _) = await UsersAsync("aggorder");
        var tag = "leak-order-" + Guid.NewGuid().ToString("N")[..8];
        var popular = await ReportAsync(tag);
        var mine = await ReportAsync(tag);
        var others = (await fx.ScalarAsync<string>("SELECT string_agg(id::text, ',') FROM (SELECT id FROM users WHERE id <> $1::uuid ORDER BY id LIMIT 5) x", a))!.Split(',');
        foreach (var o in others) await FavoriteAsync(o, popular);
        await FavoriteAsync(a, mine);
        using var asA = fx.ClientAs("user", a);

        var rows = (await fx.GraphQLAsync("""
            query($tag: String!) {
              phenom_reports(where: {description: {_eq: $tag}}, order_by: [{favorited_by_aggregate: {count: desc}}, {id: asc}]) {
                id favorited_by_aggregate { aggregate { count } }
              }
            }
            """, new { tag }, asA)).Data()["phenom_reports"]!.AsArray();
        // A sees one favourite on its own report and none on the other: that is the order.
        Assert.Equal(mine, (string?)rows[0]!["id"]);
        var counts = rows.Select(x => x!["favorited_by_aggregate"]!["aggregate"]!["count"]!.GetValue<int>()).ToList();
        Assert.Equal(counts.OrderByDescending(c => c), counts);
        Assert.Equal([1, 0], counts);
    }

    [Fact]
    public async Task Distinct_on_a_column_seen_on_some_rows_only_is_refused()
    {
        var (a, _) = await UsersAsync("distinct");
        using var asA = fx.ClientAs("user", a);
        foreach (var column in new[] { "email", "created_at", "updated_at" })
        {
            var response = await fx.GraphQLAsync($"{{ users(distinct_on: [{column}], limit: 5) {{ id }} }}", client: asA);
            Assert.Equal("validation-failed", response.ErrorCode());
        }
        // A column the role sees on every row is fine.
        Assert.NotNull((await fx.GraphQLAsync("{ users(distinct_on: [id], limit: 5) { id } }", client: asA)).Data()["users"]);
    }

    [Fact]
    public async Task An_upsert_updates_only_rows_the_roles_update_filter_allows()
    {
        var (a, b) = await UsersAsync("upsert");
        var tag = "upsert-" + Guid.NewGuid().ToString("N")[..8];
        var theirs = (await fx.ScalarAsync<Guid>("""
            INSERT INTO phenom_reports (location, "timestamp", description, user_id) VALUES (ST_GeogFromText('POINT(5 5)'), now(), $1, $2::uuid) RETURNING id
            """, tag, b)).ToString();
        var mine = (await fx.ScalarAsync<Guid>("""
            INSERT INTO phenom_reports (location, "timestamp", description, user_id) VALUES (ST_GeogFromText('POINT(5 5)'), now(), $1, $2::uuid) RETURNING id
            """, tag, a)).ToString();
        using var asA = fx.ClientAs("user", a);
        const string upsert = """
            mutation($id: uuid!) {
              insert_phenom_reports(objects: [{id: $id, description: "overwritten", location: {type: "Point", coordinates: [5, 5]}}],
                on_conflict: {constraint: phenom_reports_pkey, update_columns: [description]}) { affected_rows }
            }
            """;
        // B's report conflicts but is outside A's update filter: nothing is written, and nothing fails.
        var refused = (await fx.GraphQLAsync(upsert, new { id = theirs }, asA)).Data();
        Assert.Equal(0, refused["insert_phenom_reports"]!["affected_rows"]!.GetValue<int>());
        Assert.Equal(tag, await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", theirs));

        var updated = (await fx.GraphQLAsync(upsert, new { id = mine }, asA)).Data();
        Assert.Equal(1, updated["insert_phenom_reports"]!["affected_rows"]!.GetValue<int>());
        Assert.Equal("overwritten", await fx.ScalarAsync<string>("SELECT description FROM phenom_reports WHERE id = $1::uuid", mine));
    }

    [Fact]
    public async Task Upsert_arguments_name_only_what_the_role_may_read_and_update()
    {
        var (a, _) = await UsersAsync("upsert-args");
        using var asA = fx.ClientAs("user", a);
        // categories: the user inserts, with no update rule; update_columns may only be empty.
        var placeholder = await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "upsert-args"}], on_conflict: {constraint: categories_name_key, update_columns: [_PLACEHOLDER]}) { affected_rows } }
            """, client: asA);
        Assert.Equal("validation-failed", placeholder.ErrorCode());
        var nothing = await fx.GraphQLAsync("""
            mutation { insert_categories(objects: [{name: "upsert-args"}], on_conflict: {constraint: categories_name_key, update_columns: []}) { affected_rows } }
            """, client: asA);
        Assert.NotNull(nothing.Data()["insert_categories"]);

        // An empty insert answers like Hasura's, not with a database error.
        var empty = (await fx.GraphQLAsync("mutation { insert_categories(objects: []) { affected_rows returning { id } } }", client: asA)).Data();
        Assert.Equal(0, empty["insert_categories"]!["affected_rows"]!.GetValue<int>());
        Assert.Empty(empty["insert_categories"]!["returning"]!.AsArray());
    }

    [Fact]
    public async Task Cached_plans_keep_each_roles_schema_and_each_sessions_filters()
    {
        var (a, b) = await UsersAsync("plans");
        var r = await ReportAsync("leak-plan-" + Guid.NewGuid().ToString("N")[..8]);
        await FavoriteAsync(a, r);
        await FavoriteAsync(b, r);
        const string byEmail = "{ users(order_by: {email: asc}, limit: 1) { id } }";
        // Warm as admin (a plan is cached), then the same text as a role: still refused.
        for (var i = 0; i < 2; i++) (await fx.GraphQLAsync(byEmail)).Data();
        Assert.Equal("validation-failed", (await fx.GraphQLAsync(byEmail, client: fx.ClientAs("user", a))).ErrorCode());

        // The same text as two users: each finds only itself through its own favourites, however warm.
        const string favored = "query($r: uuid!) { users(where: {favorites: {report_id: {_eq: $r}}}, order_by: {id: asc}) { id } }";
        foreach (var me in new[] { a, b, a, b })
        {
            var found = (await fx.GraphQLAsync(favored, new { r }, fx.ClientAs("user", me))).Data()["users"]!.AsArray();
            Assert.Equal([me], found.Select(x => (string)x!["id"]!));
        }
    }

    [Fact]
    public async Task Live_queries_of_different_users_multiplexed_together_each_apply_their_own_filter()
    {
        var (a, b) = await UsersAsync("live");
        var r = await ReportAsync("leak-live-" + Guid.NewGuid().ToString("N")[..8]);
        await FavoriteAsync(a, r);
        await FavoriteAsync(b, r);
        const string query = "subscription($r: uuid!) { users(where: {favorites: {report_id: {_eq: $r}}}, order_by: {id: asc}) { id } }";
        await using var wsA = await SubscribeAsync("user", a, query, new { r });
        await using var wsB = await SubscribeAsync("user", b, query, new { r });
        foreach (var (ws, me) in new[] { (wsA, a), (wsB, b) })
        {
            var message = (await ws.ReceiveAsync())!;
            Assert.True((string?)message["type"] == "next", message.ToJsonString());
            Assert.Equal([me], message["payload"]!["data"]!["users"]!.AsArray().Select(x => (string)x!["id"]!));
        }
    }
}
