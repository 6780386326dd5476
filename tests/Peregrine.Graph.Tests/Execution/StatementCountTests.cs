using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// Counts the commands Npgsql sends for a request, through Npgsql's own tracing (ActivitySource "Npgsql"),
/// filtered to this fixture's database so parallel test collections don't interfere.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class StatementCountTests(PeregrineFixture fx)
{
    private async Task<IReadOnlyList<string>> CommandsDuringAsync(Func<Task> action)
    {
        using var capture = new SqlCapture(fx.DatabaseName);
        await action();
        return capture.Statements;
    }

    [Fact]
    public async Task A_deeply_nested_query_is_one_statement()
    {
        var commands = await CommandsDuringAsync(async () => (await fx.GraphQLAsync("""
            { phenom_reports(limit: 20, order_by: {timestamp: desc}, where: {user: {email: {_like: "user%"}}}) {
                id
                user { id email phenom_reports(limit: 2) { id media { url } categories { name } } favorites { report { id user { email } } } }
                media { url report { id categories { name phenom_reports(limit: 1) { id } } } }
                categories { name icon }
            } }
            """)).Data());
        Assert.Single(commands);
    }

    [Fact]
    public async Task Several_root_fields_share_one_round_trip_with_one_statement_each()
    {
        var commands = await CommandsDuringAsync(async () => (await fx.GraphQLAsync("""
            { a: phenom_reports(limit: 3) { id media { url } } b: categories { name phenom_reports(limit: 1) { id } } c: users(limit: 1) { email } }
            """)).Data());
        // One batch (one round trip) carrying the three root fields' statements.
        Assert.Single(commands);
    }

    [Fact]
    public async Task A_nested_insert_with_a_columns_only_answer_is_one_statement()
    {
        var commands = await CommandsDuringAsync(async () => (await fx.GraphQLAsync("""
            mutation { insert_phenom_reports_one(object: {
              description: "counted", location: {type: "Point", coordinates: [3, 4]},
              media: {data: [{url: "a", type: "image"}, {url: "b", type: "image"}]},
              categories: {data: [{name: "Counted category"}], on_conflict: {constraint: categories_name_key, update_columns: []}}
            }) { id timestamp } }
            """)).Data());
        Assert.Single(commands);
    }
}
