using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Permissions;

/// <summary>
/// Role × table × operation, as the issue states the app's rules: for each, an allowed case and a
/// forbidden case, each judged by reading the tables with SQL afterwards. "none" means the operation is
/// absent from the role's schema; "own" means only rows of the session's user; "all" means any row.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class PermissionMatrixTests(PeregrineFixture fx)
{
    public static TheoryData<string, string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string, string>();
        void Add(string role, string table, string select, string insert, string update, string delete)
        {
            data.Add(role, table, "select", select);
            data.Add(role, table, "insert", insert);
            data.Add(role, table, "update", update);
            data.Add(role, table, "delete", delete);
        }
        Add("anonymous", "phenom_reports", "all", "none", "none", "none");
        Add("anonymous", "phenom_media", "all", "none", "none", "none");
        Add("anonymous", "user_favorites", "none", "none", "none", "none");
        Add("anonymous", "users", "all", "none", "none", "none");
        Add("user", "phenom_reports", "all", "own", "own", "own");
        Add("user", "phenom_media", "all", "own", "own", "own");
        Add("user", "user_favorites", "own", "own", "none", "own");
        Add("user", "users", "all", "none", "own", "none");
        Add("moderator", "phenom_reports", "all", "none", "all", "all");
        Add("moderator", "phenom_media", "all", "none", "none", "all");
        Add("moderator", "user_favorites", "none", "none", "none", "none");
        Add("moderator", "users", "all", "none", "none", "none");
        return data;
    }

    private HttpClient As(string role, string? userId = null) => fx.ClientAs(role, userId);

    /// <summary>A user with reports and media, and another one: "own" rows belong to the first.</summary>
    private async Task<(string Me, string Other)> UsersAsync(string table, string role)
    {
        var ids = (await fx.ScalarAsync<string>($"""
            SELECT string_agg(id::text, ',') FROM (SELECT u.id FROM users u
              WHERE EXISTS (SELECT 1 FROM phenom_reports r JOIN phenom_media m ON m.report_id = r.id WHERE r.user_id = u.id)
              ORDER BY md5(u.id::text || '{table}{role}') LIMIT 2) x
            """))!.Split(',');
        await fx.ScalarAsync<int>("INSERT INTO user_favorites (user_id, report_id) SELECT u, (SELECT id FROM phenom_reports ORDER BY id LIMIT 1) FROM unnest($1::uuid[]) u ON CONFLICT DO NOTHING",
            (object)ids.Select(Guid.Parse).ToArray());
        return (ids[0], ids[1]);
    }

    /// <summary>A row of <paramref name="table"/> owned by <paramref name="owner"/>, by primary key as a GraphQL where.</summary>
    private async Task<(string Where, string Sql)> RowOfAsync(string table, string owner) => table switch
    {
        "phenom_reports" => Key("id", await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports WHERE user_id = $1::uuid ORDER BY id LIMIT 1", owner)),
        "phenom_media" => Key("id", await fx.ScalarAsync<string>("SELECT m.id::text FROM phenom_media m JOIN phenom_reports r ON r.id = m.report_id WHERE r.user_id = $1::uuid ORDER BY m.id LIMIT 1", owner)),
        "users" => Key("id", owner),
        _ => ($"{{user_id: {{_eq: \"{owner}\"}}}}", $"user_id = '{owner}'"),
    };

    private static (string, string) Key(string column, string? id) => ($"{{{column}: {{_eq: \"{id}\"}}}}", $"{column} = '{id}'");

    private async Task<long> CountAsync(string table, string sql) => await fx.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {sql}");

    private async Task<string> InsertObjectAsync(string table, string owner) => table switch
    {
        "phenom_reports" => "{description: \"matrix\", location: {type: \"Point\", coordinates: [3, 3]}}",
        "phenom_media" => $"{{report_id: \"{(await RowOfAsync("phenom_reports", owner)).Where.Split('"')[1]}\", url: \"matrix\", type: \"image\"}}",
        "user_favorites" => $"{{report_id: \"{await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports ORDER BY id DESC LIMIT 1")}\"}}",
        _ => "{email: \"matrix@example.com\"}",
    };

    // Each role writes its own marker, so one case's writes never satisfy another's expectations.
    private static string Set(string table, string role) => table switch
    {
        "phenom_reports" => $"{{description: \"matrix-{role}\"}}",
        "phenom_media" => $"{{thumbnail_url: \"matrix-{role}\"}}",
        "users" => $"{{profile: {{matrix_{role}: true}}}}",
        _ => "{created_at: \"2001-01-01T00:00:00Z\"}",
    };

    private static string Changed(string table, string role) => table switch
    {
        "phenom_reports" => $"description = 'matrix-{role}'",
        "phenom_media" => $"thumbnail_url = 'matrix-{role}'",
        "users" => $"profile ? 'matrix_{role}'",
        _ => "created_at = '2001-01-01Z'",
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_may_do_what_the_rules_say_and_nothing_more(string role, string table, string op, string allowed)
    {
        var (me, other) = await UsersAsync(table, role);
        using var client = As(role, me);
        var (mine, mineSql) = await RowOfAsync(table, me);
        var (theirs, theirsSql) = await RowOfAsync(table, other);

        switch (op)
        {
            case "select":
            {
                var response = await fx.GraphQLAsync($"{{ {table}(where: {{_or: [{mine}, {theirs}]}}) {{ __typename }} }}", client: client);
                if (allowed == "none") { Assert.Equal("validation-failed", response.ErrorCode()); break; }
                var seen = response.Data()[table]!.AsArray().Count;
                var expectedMine = await CountAsync(table, mineSql);
                var expectedTheirs = await CountAsync(table, theirsSql);
                Assert.True(expectedMine > 0 && expectedTheirs > 0);
                Assert.Equal(allowed == "all" ? expectedMine + expectedTheirs : expectedMine, seen);
                break;
            }
            case "insert":
            {
                var before = await fx.ScalarAsync<long>($"SELECT count(*) FROM {table}");
                var response = await fx.GraphQLAsync($"mutation {{ insert_{table}(objects: [{await InsertObjectAsync(table, me)}]) {{ affected_rows }} }}", client: client);
                if (allowed == "none")
                {
                    Assert.Equal("validation-failed", response.ErrorCode());
                    Assert.Equal(before, await fx.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
                    break;
                }
                Assert.Equal(1, response.Data()[$"insert_{table}"]!["affected_rows"]!.GetValue<int>());
                Assert.Equal(before + 1, await fx.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
                // Forbidden: the same insert aimed at the other user's report (or as the other user) is refused.
                if (table == "phenom_media")
                {
                    var refused = await fx.GraphQLAsync($"mutation {{ insert_phenom_media(objects: [{await InsertObjectAsync(table, other)}]) {{ affected_rows }} }}", client: client);
                    Assert.Equal("permission-error", refused.ErrorCode());
                }
                else
                {
                    var forged = await fx.GraphQLAsync($"mutation {{ insert_{table}(objects: [{{user_id: \"{other}\"}}]) {{ affected_rows }} }}", client: client);
                    Assert.Equal("validation-failed", forged.ErrorCode());
                }
                Assert.Equal(before + 1, await fx.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
                break;
            }
            case "update":
            {
                var response = await fx.GraphQLAsync($"mutation {{ update_{table}(where: {{_or: [{mine}, {theirs}]}}, _set: {Set(table, role)}) {{ affected_rows }} }}", client: client);
                if (allowed == "none")
                {
                    Assert.Equal("validation-failed", response.ErrorCode());
                    Assert.Equal(0, await CountAsync(table, $"({mineSql} OR {theirsSql}) AND {Changed(table, role)}"));
                    break;
                }
                response.Data();
                Assert.True(await CountAsync(table, $"{mineSql} AND {Changed(table, role)}") > 0);
                var theirsChanged = await CountAsync(table, $"{theirsSql} AND {Changed(table, role)}");
                if (allowed == "own") Assert.Equal(0, theirsChanged);
                else Assert.True(theirsChanged > 0);
                break;
            }
            case "delete":
            {
                var mineBefore = await CountAsync(table, mineSql);
                var theirsBefore = await CountAsync(table, theirsSql);
                var response = await fx.GraphQLAsync($"mutation {{ delete_{table}(where: {{_or: [{mine}, {theirs}]}}) {{ affected_rows }} }}", client: client);
                if (allowed == "none")
                {
                    Assert.Equal("validation-failed", response.ErrorCode());
                    Assert.Equal(mineBefore + theirsBefore, await CountAsync(table, $"{mineSql} OR {theirsSql}"));
                    break;
                }
                response.Data();
                Assert.Equal(0, await CountAsync(table, mineSql));
                Assert.Equal(allowed == "own" ? theirsBefore : 0, await CountAsync(table, theirsSql));
                break;
            }
        }
    }
}
